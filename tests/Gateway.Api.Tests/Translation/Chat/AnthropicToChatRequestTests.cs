using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Catalog;
using Gateway.Api.Translation.Chat;

namespace Gateway.Api.Tests.Translation.Chat;

public sealed class AnthropicToChatRequestTests
{
    private static readonly ChatRequestOptions Copilot = new() { UpstreamModelId = "gpt-4.1" };

    private static readonly ModelInfo ClaudeModel = new()
    {
        Id = "claude-sonnet-4.5",
        MaxOutputTokens = 16000,
        MinThinkingBudget = 1024,
        MaxThinkingBudget = 32000,
    };

    private static readonly ChatRequestOptions CopilotClaude = new() { UpstreamModelId = "claude-sonnet-4.5", Model = ClaudeModel };

    private static readonly ChatRequestOptions Provider = new() { UpstreamModelId = "deepseek-chat", IsProvider = true, ProviderName = "deepseek" };

    private static readonly ChatRequestOptions DashScope = new()
    {
        UpstreamModelId = "qwen3-max",
        IsProvider = true,
        ProviderName = "dashscope",
        IsDashScope = true,
    };

    private static string Translate(string anthropicJson, ChatRequestOptions options)
    {
        var request = JsonNode.Parse(anthropicJson)!.AsObject();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AnthropicToChatRequest.Write(request, options, writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AssertTranslation(string anthropicJson, ChatRequestOptions options, string expectedChatJson)
        => JsonAssert.Equal(expectedChatJson, Translate(anthropicJson, options));

    [Fact]
    public void ScalarFields_AreCopiedAndRenamed()
    {
        AssertTranslation("""
            {"model":"gpt-4.1-2025","max_tokens":1000,"temperature":0.2,"top_p":0.9,"top_k":40,"stream":false,
             "stop_sequences":["END","STOP"],"metadata":{"user_id":"user_abc"},
             "messages":[{"role":"user","content":"Hi"}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":1000,"temperature":0.2,"top_p":0.9,"stream":false,
             "stop":["END","STOP"],"user":"user_abc",
             "messages":[{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void StreamingRequest_AsksForUsageInTheStream()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void EmptyStopSequences_AreOmitted()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"stop_sequences":[],"messages":[{"role":"user","content":"Hi"}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void Provider_GetsTopKAndPerModelDefaultsOnlyWhereTheRequestHasNone()
    {
        var options = Provider with { Temperature = 0.6, TopP = 0.95, TopK = 20 };
        AssertTranslation("""
            {"model":"m","max_tokens":10,"temperature":1,"messages":[{"role":"user","content":"Hi"}]}
            """, options, """
            {"model":"deepseek-chat","max_tokens":10,"temperature":1,"top_p":0.95,"top_k":20,
             "messages":[{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void Provider_RequestTopKWinsOverDefault()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"top_k":5,"messages":[{"role":"user","content":"Hi"}]}
            """, Provider with { TopK = 20 }, """
            {"model":"deepseek-chat","max_tokens":10,"top_k":5,"messages":[{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void SystemString_BecomesFirstSystemMessage()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void SystemTextBlocks_AreJoinedWithBlankLines()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,
             "system":[{"type":"text","text":"One."},{"type":"text","text":"Two.","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"Hi"}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,
             "messages":[{"role":"system","content":"One.\n\nTwo."},{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void ClaudeWithThinkingBudget_AddsInstructionReminderAndClampedBudget()
    {
        var expected = new JsonObject
        {
            ["model"] = "claude-sonnet-4.5",
            ["max_tokens"] = 8000,
            ["thinking_budget"] = 15999,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "Be brief.\n\n" + ChatThinkingInstruction.System },
                new JsonObject { ["role"] = "user", ["content"] = ChatThinkingInstruction.Reminder + "\n\nHi" },
                new JsonObject { ["role"] = "assistant", ["content"] = "Hello" },
                new JsonObject { ["role"] = "user", ["content"] = "More" }),
        };
        AssertTranslation("""
            {"model":"claude-sonnet-4-5","max_tokens":8000,"system":"Be brief.",
             "thinking":{"type":"enabled","budget_tokens":50000},
             "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"More"}]}
            """, CopilotClaude, expected.ToJsonString());
    }

    [Fact]
    public void ClaudeWithThinkingBudgetAndNoSystem_GetsInstructionAsSystemAndReminderAsFirstPart()
    {
        var expected = new JsonObject
        {
            ["model"] = "claude-sonnet-4.5",
            ["max_tokens"] = 8000,
            ["thinking_budget"] = 2048,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = ChatThinkingInstruction.System },
                new JsonObject { ["role"] = "user", ["content"] = ChatThinkingInstruction.Reminder + "\n\nFirst\n\nSecond" }),
        };
        AssertTranslation("""
            {"model":"claude-sonnet-4.5","max_tokens":8000,"thinking":{"type":"enabled","budget_tokens":2048},
             "messages":[{"role":"user","content":[{"type":"text","text":"First"},{"type":"text","text":"Second"}]}]}
            """, CopilotClaude, expected.ToJsonString());
    }

    [Fact]
    public void NonClaudeWithThinkingBudget_GetsBudgetButNoInstruction()
    {
        var options = Copilot with { UpstreamModelId = "gemini-2.5-pro", Model = new ModelInfo { Id = "gemini-2.5-pro", MaxOutputTokens = 64000 } };
        AssertTranslation("""
            {"model":"gemini-2.5-pro","max_tokens":8000,"thinking":{"type":"enabled","budget_tokens":100},
             "messages":[{"role":"user","content":"Hi"}]}
            """, options, """
            {"model":"gemini-2.5-pro","max_tokens":8000,"thinking_budget":1024,"messages":[{"role":"user","content":"Hi"}]}
            """);
    }

    [Theory]
    [InlineData(500L, 1024L, 32000L, 16000L, 1024L)]
    [InlineData(4000L, 2000L, 32000L, 16000L, 4000L)]
    [InlineData(50000L, 1024L, 32000L, 16000L, 15999L)]
    [InlineData(50000L, 1024L, 8000L, 16000L, 8000L)]
    [InlineData(3000L, 1024L, null, 2049L, 2048L)]
    public void CopilotThinkingBudget_IsClampedToModelLimits(long requested, long min, long? max, long maxOutput, long expected)
    {
        var options = Copilot with { Model = new ModelInfo { Id = "m", MinThinkingBudget = min, MaxThinkingBudget = max, MaxOutputTokens = maxOutput } };
        Assert.Equal(expected, AnthropicToChatRequest.CopilotThinkingBudget(requested, options));
    }

    [Fact]
    public void CopilotThinkingBudget_UnknownModelOrNoPositiveMaximum_IsNotSent()
    {
        Assert.Null(AnthropicToChatRequest.CopilotThinkingBudget(2000, Copilot));
        Assert.Null(AnthropicToChatRequest.CopilotThinkingBudget(2000, Copilot with { Model = new ModelInfo { Id = "m", MaxOutputTokens = 1 } }));
        Assert.Null(AnthropicToChatRequest.CopilotThinkingBudget(2000, Copilot with { Model = new ModelInfo { Id = "m" } }));
    }

    [Fact]
    public void UserMessage_ToolResultsFirstThenRemainingBlocks()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"read","input":{"path":"a"}},
                                             {"type":"tool_use","id":"t2","name":"read","input":{"path":"b"}}]},
              {"role":"user","content":[{"type":"text","text":"Look at these"},
                                        {"type":"tool_result","tool_use_id":"t1","content":"A"},
                                        {"type":"tool_result","tool_use_id":"t2","content":[{"type":"text","text":"B1"},{"type":"text","text":"B2"}]}]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"t1","type":"function","function":{"name":"read","arguments":"{\"path\":\"a\"}"}},
                {"id":"t2","type":"function","function":{"name":"read","arguments":"{\"path\":\"b\"}"}}]},
              {"role":"tool","tool_call_id":"t1","content":"A"},
              {"role":"tool","tool_call_id":"t2","content":"B1\n\nB2"},
              {"role":"user","content":"Look at these"}]}
            """);
    }

    [Fact]
    public void UserMessageOfOnlyToolResults_ProducesNoUserMessage()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":"boom"},
                                        {"type":"tool_result","tool_use_id":"t2"}]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[
              {"role":"tool","tool_call_id":"t1","content":"boom"},
              {"role":"tool","tool_call_id":"t2","content":""}]}
            """);
    }

    [Fact]
    public void UserImages_BecomeDataUrlAndUrlParts()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"text","text":"Compare"},
              {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"AAAA"}},
              {"type":"image","source":{"type":"url","url":"https://example.com/b.png"}}]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"text","text":"Compare"},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,AAAA"}},
              {"type":"image_url","image_url":{"url":"https://example.com/b.png"}}]}]}
            """);
    }

    [Fact]
    public void PdfDocument_WithSupportPdf_BecomesFilePart()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"document","title":"spec.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}},
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBF"}},
              {"type":"text","text":"Summarise"}]}]}
            """, Copilot with { SupportPdf = true }, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"file","file":{"filename":"spec.pdf","file_data":"data:application/pdf;base64,JVBE"}},
              {"type":"file","file":{"filename":"document.pdf","file_data":"data:application/pdf;base64,JVBF"}},
              {"type":"text","text":"Summarise"}]}]}
            """);
    }

    [Fact]
    public void PdfDocument_WithoutSupportPdf_BecomesNoticeText()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"document","title":"spec.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}},
              {"type":"text","text":"Summarise"}]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":
              "[PDF document \"spec.pdf\" omitted: this model cannot read PDF files.]\n\nSummarise"}]}
            """);
    }

    [Fact]
    public void PlainTextDocument_IsSentAsText()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"document","source":{"type":"text","media_type":"text/plain","data":"notes"}},
              {"type":"text","text":"Read"}]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":"notes\n\nRead"}]}
            """);
    }

    [Fact]
    public void ToolResultImage_WithoutImageSupport_MovesIntoUserMessageAfterToolMessages()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"t1","content":[
                {"type":"text","text":"Screenshot taken"},
                {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}}]},
              {"type":"tool_result","tool_use_id":"t2","content":"ok"},
              {"type":"text","text":"What do you see?"}]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[
              {"role":"tool","tool_call_id":"t1","content":"Screenshot taken"},
              {"role":"tool","tool_call_id":"t2","content":"ok"},
              {"role":"user","content":[
                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO"}},
                {"type":"text","text":"What do you see?"}]}]}
            """);
    }

    [Fact]
    public void ToolResult_WithArrayAndImageSupport_KeepsPartsInToolMessage()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"t1","content":[
                {"type":"text","text":"Screenshot taken"},
                {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}}]},
              {"type":"tool_result","tool_use_id":"t2","content":[{"type":"text","text":"plain"}]}]}]}
            """, Provider with { ToolContentSupport = ToolContentSupport.Array | ToolContentSupport.Image }, """
            {"model":"deepseek-chat","max_tokens":10,"messages":[
              {"role":"tool","tool_call_id":"t1","content":[
                {"type":"text","text":"Screenshot taken"},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO"}}]},
              {"role":"tool","tool_call_id":"t2","content":[{"type":"text","text":"plain"}]}]}
            """);
    }

    [Fact]
    public void ToolResult_WithArrayOnly_KeepsTextPartsAndMovesImage()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"t1","content":[
                {"type":"text","text":"Screenshot taken"},
                {"type":"image","source":{"type":"url","url":"https://example.com/s.png"}}]}]}]}
            """, Provider with { ToolContentSupport = ToolContentSupport.Array }, """
            {"model":"deepseek-chat","max_tokens":10,"messages":[
              {"role":"tool","tool_call_id":"t1","content":[{"type":"text","text":"Screenshot taken"}]},
              {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/s.png"}}]}]}
            """);
    }

    [Fact]
    public void ToolResultPdf_WithPdfSupport_StaysInToolMessage_ElseMovesAsNotice()
    {
        const string request = """
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"t1","content":[
                {"type":"text","text":"PDF file read: a.pdf"},
                {"type":"document","title":"a.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}}]}]}]}
            """;
        AssertTranslation(request, Provider with { ToolContentSupport = ToolContentSupport.Pdf }, """
            {"model":"deepseek-chat","max_tokens":10,"messages":[
              {"role":"tool","tool_call_id":"t1","content":[
                {"type":"text","text":"PDF file read: a.pdf"},
                {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBE"}}]}]}
            """);
        AssertTranslation(request, Provider, """
            {"model":"deepseek-chat","max_tokens":10,"messages":[
              {"role":"tool","tool_call_id":"t1","content":"PDF file read: a.pdf"},
              {"role":"user","content":"[PDF document \"a.pdf\" omitted: this model cannot read PDF files.]"}]}
            """);
    }

    [Fact]
    public void ToolReference_InToolResult_BecomesLoadedText()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"t1","content":[{"type":"tool_reference","tool_name":"mcp__db__query"}]}]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"tool","tool_call_id":"t1","content":"Tool mcp__db__query loaded"}]}
            """);
    }

    [Fact]
    public void AssistantTextAndToolUse_BecomeContentAndToolCalls()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"Go"},
              {"role":"assistant","content":[{"type":"text","text":"Reading."},{"type":"text","text":"Both files."},
                {"type":"tool_use","id":"call_1","name":"read","input":{"path":"ü.txt","lines":[1,2]}}]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[
              {"role":"user","content":"Go"},
              {"role":"assistant","content":"Reading.\n\nBoth files.","tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"read","arguments":"{\"path\":\"ü.txt\",\"lines\":[1,2]}"}}]}]}
            """);
    }

    [Fact]
    public void ToolArguments_KeepNonAsciiTextUnescaped()
    {
        var body = Translate("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"assistant","content":[{"type":"tool_use","id":"c","name":"say","input":{"text":"héllo"}}]}]}
            """, Copilot);
        var arguments = JsonNode.Parse(body)!["messages"]![0]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>();
        Assert.Equal("{\"text\":\"héllo\"}", arguments);
    }

    [Fact]
    public void CopilotClaude_AssistantThinking_BecomesReasoningTextAndOpaque_InvalidBlocksDropped()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"Go"},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"Thinking...","signature":"sig-placeholder"},
                {"type":"thinking","thinking":"from gpt","signature":"enc@rs_1"},
                {"type":"thinking","thinking":"unsigned","signature":""},
                {"type":"thinking","thinking":"Plan A","signature":"sig-a"},
                {"type":"thinking","thinking":"Plan B","signature":"sig-b"},
                {"type":"redacted_thinking","data":"xyz"},
                {"type":"text","text":"Done"}]}]}
            """, CopilotClaude, """
            {"model":"claude-sonnet-4.5","max_tokens":10,"messages":[
              {"role":"user","content":"Go"},
              {"role":"assistant","content":"Done","reasoning_text":"Plan A\n\nPlan B","reasoning_opaque":"sig-a"}]}
            """);
    }

    [Fact]
    public void CopilotNonClaude_PlaceholderThinking_KeepsOnlyItsSignature()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"Thinking...","signature":"opaque-1"},
                {"type":"tool_use","id":"c1","name":"ls","input":{}}]}]}
            """, Copilot with { UpstreamModelId = "gemini-2.5-pro" }, """
            {"model":"gemini-2.5-pro","max_tokens":10,"messages":[
              {"role":"assistant","content":null,"reasoning_opaque":"opaque-1",
               "tool_calls":[{"id":"c1","type":"function","function":{"name":"ls","arguments":"{}"}}]}]}
            """);
    }

    [Theory]
    [InlineData("reasoning_content")]
    [InlineData("reasoning")]
    public void Provider_AssistantThinking_GoesIntoReasoningField(string field)
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"assistant","content":[{"type":"thinking","thinking":"Hmm","signature":"s"},{"type":"text","text":"Hi"}]}]}
            """, Provider with { ReasoningField = field }, $$"""
            {"model":"deepseek-chat","max_tokens":10,"messages":[{"role":"assistant","content":"Hi","{{field}}":"Hmm"}]}
            """);
    }

    [Fact]
    public void Tools_BecomeFunctionTools_ServerToolsSkipped()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],
             "tools":[
               {"name":"read","description":"Read a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]},
                "cache_control":{"type":"ephemeral"}},
               {"name":"noop"},
               {"type":"web_search_20250305","name":"web_search","max_uses":3}],
             "tool_choice":{"type":"any"}}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],
             "tools":[
               {"type":"function","function":{"name":"read","description":"Read a file",
                 "parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}},
               {"type":"function","function":{"name":"noop","parameters":{"type":"object","properties":{}}}}],
             "tool_choice":"required"}
            """);
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"auto\"")]
    [InlineData("""{"type":"any"}""", "\"required\"")]
    [InlineData("""{"type":"none"}""", "\"none\"")]
    [InlineData("""{"type":"tool","name":"read"}""", """{"type":"function","function":{"name":"read"}}""")]
    public void ToolChoice_IsMapped(string anthropicChoice, string expectedChoice)
    {
        AssertTranslation(
            """{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"read","input_schema":{"type":"object"}}],"tool_choice":"""
            + anthropicChoice + "}",
            Copilot,
            """{"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"read","parameters":{"type":"object"}}}],"tool_choice":"""
            + expectedChoice + "}");
    }

    [Fact]
    public void DisableParallelToolUse_BecomesParallelToolCallsFalse()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],
             "tools":[{"name":"read","input_schema":{"type":"object"}}],"tool_choice":{"type":"auto","disable_parallel_tool_use":true}}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],
             "tools":[{"type":"function","function":{"name":"read","parameters":{"type":"object"}}}],
             "tool_choice":"auto","parallel_tool_calls":false}
            """);
    }

    [Fact]
    public void OtherProvider_DoesNotGetThinkingBudget()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"thinking":{"type":"enabled","budget_tokens":4000},"messages":[{"role":"user","content":"Hi"}]}
            """, Provider, """
            {"model":"deepseek-chat","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void DashScope_GetsRawThinkingBudgetPreserveThinkingAndCacheBreakpoints()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"system":"Sys","thinking":{"type":"enabled","budget_tokens":4000},
             "messages":[
               {"role":"user","content":"One"},
               {"role":"assistant","content":"Two"},
               {"role":"user","content":[{"type":"text","text":"Three"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}
            """, DashScope, """
            {"model":"qwen3-max","max_tokens":10,"thinking_budget":4000,"preserve_thinking":true,"messages":[
               {"role":"system","content":[{"type":"text","text":"Sys","cache_control":{"type":"ephemeral"}}]},
               {"role":"user","content":"One"},
               {"role":"assistant","content":[{"type":"text","text":"Two","cache_control":{"type":"ephemeral"}}]},
               {"role":"user","content":[{"type":"text","text":"Three"},
                 {"type":"image_url","image_url":{"url":"https://x/y.png"},"cache_control":{"type":"ephemeral"}}]}]}
            """);
    }

    [Fact]
    public void ContextCache_SkipsMessagesWithoutContent()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[
               {"role":"user","content":"One"},
               {"role":"user","content":"Two"},
               {"role":"assistant","content":[{"type":"tool_use","id":"c1","name":"ls","input":{}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":"a\nb"}]}]}
            """, Provider with { ContextCache = true }, """
            {"model":"deepseek-chat","max_tokens":10,"messages":[
               {"role":"user","content":"One"},
               {"role":"user","content":[{"type":"text","text":"Two","cache_control":{"type":"ephemeral"}}]},
               {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"ls","arguments":"{}"}}]},
               {"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"a\nb","cache_control":{"type":"ephemeral"}}]}]}
            """);
    }

    [Fact]
    public void DashScope_ContextCacheAndPreserveThinkingCanBeTurnedOff()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"One"}]}
            """, DashScope with { ContextCache = false, PreserveThinking = false }, """
            {"model":"qwen3-max","max_tokens":10,"preserve_thinking":false,"messages":[{"role":"user","content":"One"}]}
            """);
    }

    [Fact]
    public void ExtraBody_IsMergedRequestFieldsWinExceptThinkingBudget()
    {
        var options = DashScope with
        {
            ContextCache = false,
            ExtraBody = new JsonObject
            {
                ["max_tokens"] = 99,
                ["enable_search"] = true,
                ["thinking_budget"] = 777,
                ["preserve_thinking"] = false,
            },
        };
        AssertTranslation("""
            {"model":"m","max_tokens":10,"thinking":{"type":"enabled","budget_tokens":4000},"messages":[{"role":"user","content":"Hi"}]}
            """, options, """
            {"model":"qwen3-max","max_tokens":10,"enable_search":true,"thinking_budget":777,"preserve_thinking":false,
             "messages":[{"role":"user","content":"Hi"}]}
            """);
    }

    [Fact]
    public void DashScopeDetection_UsesNameOrBaseUrl()
    {
        Assert.True(ChatRequestOptions.IsDashScopeProvider("dashscope", null));
        Assert.True(ChatRequestOptions.IsDashScopeProvider("qwen", "https://dashscope.aliyuncs.com/compatible-mode"));
        Assert.False(ChatRequestOptions.IsDashScopeProvider("deepseek", "https://api.deepseek.com"));
    }

    [Fact]
    public void ValuesCreatedByPreprocessing_AreReadLikeParsedOnes()
    {
        var request = new JsonObject
        {
            ["model"] = "claude-sonnet-4.5",
            ["max_tokens"] = 8000,
            ["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 3000 },
            ["system"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Sys" }),
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(
                    new JsonObject { ["type"] = "text", ["text"] = "Hi" },
                    new JsonObject { ["type"] = "text", ["text"] = "<system-reminder>\nLater system text\n</system-reminder>" }),
            }),
        };
        var expected = new JsonObject
        {
            ["model"] = "claude-sonnet-4.5",
            ["max_tokens"] = 8000,
            ["thinking_budget"] = 3000,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "Sys\n\n" + ChatThinkingInstruction.System },
                new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = ChatThinkingInstruction.Reminder + "\n\nHi\n\n<system-reminder>\nLater system text\n</system-reminder>",
                }),
        };
        JsonAssert.Equal(expected.ToJsonString(), Translate(request.ToJsonString(), CopilotClaude));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AnthropicToChatRequest.Write(request, CopilotClaude, writer);
        }
        JsonAssert.Equal(expected.ToJsonString(), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void EmptyAssistantMessage_GetsEmptyStringContent()
    {
        AssertTranslation("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[]}]}
            """, Copilot, """
            {"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":""}]}
            """);
    }
}
