using Gateway.Api.Catalog;
using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class NativeMessagesRewriterTests
{
    private static readonly ModelInfo _sonnet45 = new() { Id = "claude-sonnet-4.5", ReasoningEfforts = ["low", "medium", "high"] };
    private static readonly ModelInfo _opus47 = new() { Id = "claude-opus-4.7", SupportsAdaptiveThinking = true };
    private static readonly ModelInfo _opus46 = new() { Id = "claude-opus-4.6", SupportsAdaptiveThinking = true, ReasoningEfforts = ["low", "medium", "high", "max"] };

    [Fact]
    public void CacheControl_KeepsTypeAndTtl_RemovesTypeless_NestedAndTopLevel()
    {
        var request = JsonAssert.Parse("""
            {"model":"claude-sonnet-4.5","cache_control":{"type":"ephemeral"},
             "system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","scope":"global","ttl":"1h"}}],
             "tools":[{"name":"t","input_schema":{},"cache_control":{"scope":"x"}}],
             "messages":[{"role":"user","content":[
               {"type":"text","text":"u","cache_control":{"type":"ephemeral","other":1}},
               {"type":"tool_result","tool_use_id":"x","cache_control":{"type":"ephemeral"},"content":[{"type":"text","text":"r","cache_control":{"type":"ephemeral"}}]}]}],
             "output_config":{"effort":"medium"}}
            """);

        NativeMessagesRewriter.Apply(request, _sonnet45, new NativeMessagesOptions());

        JsonAssert.Equal("""
            {"model":"claude-sonnet-4.5",
             "system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","ttl":"1h"}}],
             "tools":[{"name":"t","input_schema":{}}],
             "messages":[{"role":"user","content":[
               {"type":"text","text":"u","cache_control":{"type":"ephemeral"}},
               {"type":"tool_result","tool_use_id":"x","cache_control":{"type":"ephemeral"},"content":[{"type":"text","text":"r"}]}]}],
             "output_config":{"effort":"medium"}}
            """, request);
    }

    [Fact]
    public void TopLevelCacheControl_KeptForUnlistedModel()
    {
        var request = JsonAssert.Parse("""{"model":"claude-opus-4.6","cache_control":{"type":"ephemeral"},"messages":[]}""");
        NativeMessagesRewriter.Apply(request, null, new NativeMessagesOptions());
        JsonAssert.Equal("""{"model":"claude-opus-4.6","cache_control":{"type":"ephemeral"},"messages":[],"output_config":{"effort":"high"}}""", request);
    }

    [Fact]
    public void ThinkingFilter_RemovesEmptyPlaceholderUnsignedAndGptCarrierBlocks()
    {
        var request = JsonAssert.Parse("""
            {"model":"claude-sonnet-4.5","messages":[
              {"role":"user","content":[{"type":"thinking","thinking":"user side kept","signature":""}]},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"","signature":"sig"},
                {"type":"thinking","thinking":"Thinking...","signature":"sig"},
                {"type":"thinking","thinking":"real"},
                {"type":"thinking","thinking":"gpt","signature":"enc@rs_1"},
                {"type":"thinking","thinking":"good","signature":"sig"},
                {"type":"redacted_thinking","data":"x"},
                {"type":"text","text":"answer"}]}]}
            """);

        NativeMessagesRewriter.Apply(request, _sonnet45, new NativeMessagesOptions());

        JsonAssert.Equal("""
            {"model":"claude-sonnet-4.5","messages":[
              {"role":"user","content":[{"type":"thinking","thinking":"user side kept","signature":""}]},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"good","signature":"sig"},
                {"type":"redacted_thinking","data":"x"},
                {"type":"text","text":"answer"}]}],
             "output_config":{"effort":"high"}}
            """, request);
    }

    [Fact]
    public void AdaptiveThinking_NoClientThinking_SummarizedDisplay()
    {
        var request = JsonAssert.Parse("""{"model":"claude-opus-4.6","messages":[]}""");
        NativeMessagesRewriter.Apply(request, _opus46, new NativeMessagesOptions());
        JsonAssert.Equal("""{"model":"claude-opus-4.6","messages":[],"thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"high"}}""", request);
        Assert.False(NativeMessagesRewriter.RequiresInterleavedThinking(request));
    }

    [Fact]
    public void AdaptiveThinking_ClientThinkingOnOlderModel_NoDisplay()
    {
        var request = JsonAssert.Parse("""{"model":"claude-opus-4.6","thinking":{"type":"enabled","budget_tokens":4000},"messages":[]}""");
        NativeMessagesRewriter.Apply(request, _opus46, new NativeMessagesOptions());
        JsonAssert.Equal("""{"model":"claude-opus-4.6","thinking":{"type":"adaptive"},"messages":[],"output_config":{"effort":"high"}}""", request);
    }

    [Fact]
    public void AdaptiveThinking_ClientThinkingOn47_SummarizedDisplay_XhighBecomesMax()
    {
        var request = JsonAssert.Parse("""{"model":"claude-opus-4.7","thinking":{"type":"enabled","budget_tokens":4000},"output_config":{"effort":"xhigh"},"messages":[]}""");
        NativeMessagesRewriter.Apply(request, _opus47, new NativeMessagesOptions());
        JsonAssert.Equal("""{"model":"claude-opus-4.7","thinking":{"type":"adaptive","display":"summarized"},"output_config":{"effort":"max"},"messages":[]}""", request);
    }

    [Theory]
    [InlineData("any")]
    [InlineData("tool")]
    public void AdaptiveThinking_ForcedToolChoice_ThinkingLeftAlone_InterleavedBetaNeeded(string choice)
    {
        var request = JsonAssert.Parse($$"""{"model":"claude-opus-4.6","tool_choice":{"type":"{{choice}}","name":"x"},"thinking":{"type":"enabled","budget_tokens":2048},"messages":[]}""");
        NativeMessagesRewriter.Apply(request, _opus46, new NativeMessagesOptions());
        JsonAssert.Equal($$$"""{"model":"claude-opus-4.6","tool_choice":{"type":"{{{choice}}}","name":"x"},"thinking":{"type":"enabled","budget_tokens":2048},"messages":[],"output_config":{"effort":"high"}}""", request);
        Assert.True(NativeMessagesRewriter.RequiresInterleavedThinking(request));
    }

    [Theory]
    [InlineData(null, "claude-sonnet-4.5", "high")]
    [InlineData("minimal", "claude-sonnet-4.5", "low")]
    [InlineData("none", "claude-sonnet-4.5", "low")]
    [InlineData("max", "claude-sonnet-4.5", "high")]
    [InlineData(null, "gpt-5.3-codex", "max")]
    [InlineData(null, "gpt-5.2", "high")]
    [InlineData(null, "gpt-5-mini", "low")]
    public void Effort_ResolvedMappedAndClamped(string? requested, string modelId, string expected)
    {
        var model = modelId == _sonnet45.Id ? _sonnet45 : null;
        Assert.Equal(expected, ReasoningEffortResolver.ForNativeMessages(requested, modelId, model, ReasoningEffortResolver.Defaults));
    }

    [Fact]
    public void Effort_ConfiguredMapWinsOverBuiltInDefault()
    {
        var efforts = new Dictionary<string, string> { ["claude-opus-4.6"] = "medium" };
        var request = JsonAssert.Parse("""{"model":"claude-opus-4.6","messages":[],"output_config":{"format":{"type":"json_schema"}}}""");
        NativeMessagesRewriter.Apply(request, null, new NativeMessagesOptions { ModelReasoningEfforts = efforts });
        JsonAssert.Equal("""{"model":"claude-opus-4.6","messages":[],"output_config":{"format":{"type":"json_schema"},"effort":"medium"}}""", request);
    }

    [Fact]
    public void Effort_ClampUsesLastListedValue()
    {
        var model = new ModelInfo { Id = "gpt-5.4", ReasoningEfforts = ["low", "medium"] };
        Assert.Equal("medium", ReasoningEffortResolver.ClampToModel("xhigh", model));
        Assert.Equal("low", ReasoningEffortResolver.ClampToModel("low", model));
        Assert.Equal("xhigh", ReasoningEffortResolver.Resolve(null, "gpt-5.4", new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("interleaved-thinking-2025-05-14, fine-grained-tool-streaming-2025-05-14,advanced-tool-use-2025-11-20", false, "interleaved-thinking-2025-05-14,advanced-tool-use-2025-11-20")]
    [InlineData("advanced-tool-use-2025-11-20,context-management-2025-06-27", true, "advanced-tool-use-2025-11-20,context-management-2025-06-27,interleaved-thinking-2025-05-14")]
    [InlineData("claude-code-20250219", false, null)]
    [InlineData(null, false, null)]
    [InlineData(null, true, "interleaved-thinking-2025-05-14")]
    public void FilterAnthropicBeta_AllowListInClientOrder(string? header, bool addInterleaved, string? expected)
        => Assert.Equal(expected, NativeMessagesRewriter.FilterAnthropicBeta(header, addInterleaved));

    [Theory]
    [InlineData("thinking text", "sig", true)]
    [InlineData("", "sig", false)]
    [InlineData("Thinking...", "sig", false)]
    [InlineData("t", null, false)]
    [InlineData("t", "", false)]
    [InlineData("t", "abc@def", false)]
    public void ThinkingFilter_IsValid(string? thinking, string? signature, bool expected)
        => Assert.Equal(expected, ThinkingFilter.IsValid(thinking, signature));
}
