using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class MessagesPreprocessorTests
{
    private static readonly Func<string, string?> _noHeaders = _ => null;

    [Fact]
    public void ToolTurnWithText_MergedAndCountedAsAgent_WithSessionFromMetadata()
    {
        var request = JsonAssert.Parse("""
            {"model":"claude-sonnet-4.5","metadata":{"user_id":"user_u1_account_a1_session_sess-1"},
             "tools":[{"name":"Bash"},{"type":"web_search_20250305","name":"web_search"}],
             "messages":[
               {"role":"user","content":"do it"},
               {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"Bash","input":{}}]},
               {"role":"system","content":"late rule"},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"out"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA"}}]}]}
            """);

        var analysis = MessagesPreprocessor.Process(request, new MessagesPreprocessOptions(), _noHeaders);

        Assert.Equal(new MessagesAnalysis
        {
            RootSessionText = "sess-1",
            RootSessionId = RootSession.DeriveUuid("sess-1"),
            RootSessionSource = RootSessionSource.Metadata,
            UserId = "u1",
            Initiator = Initiator.Agent,
            InteractionType = InteractionType.ConversationAgent,
            HasImage = true,
        }, analysis);
        Assert.True(MessagesProxy.Applies(analysis));
        JsonAssert.Equal("""
            {"model":"claude-sonnet-4.5","metadata":{"user_id":"user_u1_account_a1_session_sess-1"},
             "tools":[{"name":"Bash"}],
             "system":[{"type":"text","text":"late rule"}],
             "messages":[
               {"role":"user","content":"do it"},
               {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"Bash","input":{}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"out"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA"}}]}]}]}
            """, request);
    }

    [Fact]
    public void CompactRequest_SkipsMerge_IsCompactionAgent()
    {
        var request = JsonAssert.Parse("""
            {"system":"You are a helpful AI assistant tasked with summarizing conversations.",
             "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"out"},{"type":"text","text":"summarize"}]}]}
            """);
        var before = request.ToJsonString();

        var analysis = MessagesPreprocessor.Process(request, new MessagesPreprocessOptions(), _noHeaders);

        Assert.True(analysis.IsCompact);
        Assert.Equal(Initiator.Agent, analysis.Initiator);
        Assert.Equal(InteractionType.ConversationCompaction, analysis.InteractionType);
        JsonAssert.Equal(before, request);
    }

    [Fact]
    public void SubagentMarker_IsSubagentAgent_SessionFromHeader_NoMessagesProxy()
    {
        var request = JsonAssert.Parse("""
            {"metadata":{"user_id":"{\"device_id\":\"dev\"}"},
             "messages":[{"role":"user","content":[{"type":"text","text":"<system-reminder>__SUBAGENT_MARKER__{\"session_id\":\"p\",\"agent_id\":\"a\",\"agent_type\":\"Plan\"}</system-reminder>"},{"type":"text","text":"task"}]}]}
            """);

        var analysis = MessagesPreprocessor.Process(request, new MessagesPreprocessOptions(), name => name == "x-session-id" ? "hdr" : null);

        Assert.Equal(new SubagentMarker("p", "a", "Plan"), analysis.Subagent);
        Assert.Equal(Initiator.Agent, analysis.Initiator);
        Assert.Equal(InteractionType.ConversationSubagent, analysis.InteractionType);
        Assert.Equal("hdr", analysis.RootSessionText);
        Assert.Equal(RootSessionSource.Header, analysis.RootSessionSource);
        Assert.Equal("dev", analysis.UserId);
        Assert.False(MessagesProxy.Applies(analysis));
    }

    [Fact]
    public void AutoContinueAndWarmupAndWebSearchOnly_Reported()
    {
        var request = JsonAssert.Parse("""
            {"tools":[{"type":"web_search_20250305","name":"web_search"}],
             "messages":[{"role":"user","content":[{"type":"text","text":"Continue if you have next steps, or stop and ask for clarification if you are unsure how to proceed."},{"type":"text","text":"warmup","cache_control":{"type":"ephemeral"}}]}]}
            """);

        var analysis = MessagesPreprocessor.Process(request, new MessagesPreprocessOptions(), _noHeaders);

        Assert.Equal(new MessagesAnalysis
        {
            IsAutoContinue = true,
            IsWarmup = true,
            WebSearchOnly = true,
            Initiator = Initiator.Agent,
            InteractionType = InteractionType.ConversationAgent,
        }, analysis);
    }

    [Fact]
    public void ProviderRequest_NoMergeNoWebSearchHandling_PlainUserTurn()
    {
        var request = JsonAssert.Parse("""
            {"tools":[{"name":"Bash"},{"type":"web_search_20250305","name":"web_search"}],
             "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"out"},{"type":"text","text":"more"}]}]}
            """);
        var before = request.ToJsonString();

        var analysis = MessagesPreprocessor.Process(request, new MessagesPreprocessOptions { CopilotSteps = false }, _noHeaders);

        Assert.Equal(Initiator.User, analysis.Initiator);
        Assert.False(analysis.WebSearchOnly);
        JsonAssert.Equal(before, request);
    }
}
