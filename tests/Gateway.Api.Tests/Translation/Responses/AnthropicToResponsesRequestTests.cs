using Gateway.Api.Catalog;
using Gateway.Api.Translation.Responses;
using static Gateway.Api.Tests.Translation.Responses.RequestTestHarness;

namespace Gateway.Api.Tests.Translation.Responses;

public sealed class AnthropicToResponsesRequestTests
{
    [Fact]
    public void MinimalRequest_WritesWholeEnvelope()
    {
        var actual = Translate("""
            {"model":"gpt-5.2","max_tokens":1000,"stream":true,"top_p":0.9,
             "metadata":{"user_id":"u1"},
             "system":"You are helpful.",
             "messages":[{"role":"user","content":"Hi"}]}
            """, Options() with { ContextManagement = true });

        JsonAssert.Equal("""
            {"model":"gpt-5.2",
             "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}],
             "instructions":"You are helpful.",
             "temperature":1,"top_p":0.9,"max_output_tokens":12800,
             "tool_choice":"auto",
             "metadata":{"user_id":"u1"},
             "stream":true,"store":false,"parallel_tool_calls":true,
             "reasoning":{"effort":"high","summary":"detailed"},
             "include":["reasoning.encrypted_content"],
             "service_tier":null,
             "context_management":[{"type":"compaction","compact_threshold":170000}]}
            """, actual);
    }

    [Fact]
    public void Gpt54WithTools_WritesExtraPromptCacheKeyEffortAndConfiguredThreshold()
    {
        var options = new ResponsesRequestOptions
        {
            UpstreamModelId = "gpt-5.4",
            Model = new ModelInfo { Id = "gpt-5.4", ReasoningEfforts = ["low", "medium", "high", "xhigh"], MaxPromptTokens = 400000 },
            PromptCacheKey = "session-1:agent:a7",
        };
        var actual = Translate("""
            {"model":"gpt-5.4","max_tokens":64000,
             "system":[{"type":"text","text":"Part one."},{"type":"text","text":"Part two."}],
             "tools":[{"name":"Read","description":"Reads a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}],
             "messages":[{"role":"user","content":[{"type":"text","text":"Read a.txt"}]}]}
            """, options);

        JsonAssert.Equal($$$"""
            {"model":"gpt-5.4",
             "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Read a.txt"}]}],
             "instructions":{{{System.Text.Json.JsonSerializer.Serialize("Part one.\n\nPart two.\n\n" + ResponsesDefaults.CommentaryPrompt)}}},
             "temperature":1,"max_output_tokens":64000,
             "tools":[{"type":"function","name":"Read","description":"Reads a file",
                       "parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]},"strict":false}],
             "tool_choice":"auto",
             "store":false,"parallel_tool_calls":true,
             "reasoning":{"effort":"xhigh","summary":"detailed"},
             "include":["reasoning.encrypted_content"],
             "service_tier":null,
             "prompt_cache_key":"session-1:agent:a7",
             "context_management":[{"type":"compaction","compact_threshold":217600}]}
            """, actual);
    }

    [Fact]
    public void UserBlocks_ConsecutiveBlocksShareOneMessageAndToolResultSplitsThem()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"text","text":"look"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"tool_result","tool_use_id":"call_1","content":"done"},
              {"type":"text","text":"and this"},
              {"type":"document","title":"spec.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}}
            ]}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"message","role":"user","content":[
                {"type":"input_text","text":"look"},
                {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"auto"}]},
             {"type":"function_call_output","call_id":"call_1","output":"done","status":"completed"},
             {"type":"message","role":"user","content":[
                {"type":"input_text","text":"and this"},
                {"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0x","filename":"spec.pdf"}]}]
            """);
    }

    [Fact]
    public void ImageWithUrlSource_KeepsUrl()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"url","url":"https://example.test/a.png"}}]}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"message","role":"user","content":[{"type":"input_image","image_url":"https://example.test/a.png","detail":"auto"}]}]
            """);
    }

    [Fact]
    public void DocumentWithoutTitle_UsesDefaultFilenameAndTextDocumentBecomesText()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"QUJD"}},
              {"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain words"}}]}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"message","role":"user","content":[
               {"type":"input_file","file_data":"data:application/pdf;base64,QUJD","filename":"document.pdf"},
               {"type":"input_text","text":"plain words"}]}]
            """);
    }

    [Fact]
    public void EscapedBase64Data_IsUnescapedIntoTheDataUrl()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image\/png","data":"ab\/cd+e="}}]}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"message","role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,ab/cd+e=","detail":"auto"}]}]
            """);
    }

    [Fact]
    public void ToolResultWithArrayContent_ConvertsPartsAndErrorsAreIncomplete()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"c1","is_error":true,"content":[
                 {"type":"text","text":"failed"},
                 {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}},
                 {"type":"tool_reference","tool_name":"mcp__db__query"}]},
              {"type":"tool_result","tool_use_id":"c2"}]}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"function_call_output","call_id":"c1","output":[
                {"type":"input_text","text":"failed"},
                {"type":"input_image","image_url":"data:image/jpeg;base64,/9j/","detail":"auto"},
                {"type":"input_text","text":"Tool mcp__db__query loaded"}],"status":"incomplete"},
             {"type":"function_call_output","call_id":"c2","output":"","status":"completed"}]
            """);
    }

    [Fact]
    public void AssistantWithToolUse_TextIsCommentaryAndToolUseBecomesFunctionCall()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"go"},
              {"role":"assistant","content":[
                {"type":"text","text":"Checking."},
                {"type":"tool_use","id":"toolu_1","name":"Grep","input":{"pattern":"a<b","path":"größe/€"}},
                {"type":"text","text":"More."}]}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"message","role":"user","content":[{"type":"input_text","text":"go"}]},
             {"type":"message","role":"assistant","phase":"commentary","content":[{"type":"output_text","text":"Checking."}]},
             {"type":"function_call","call_id":"toolu_1","name":"Grep","arguments":"{\"pattern\":\"a<b\",\"path\":\"größe/€\"}","status":"completed"},
             {"type":"message","role":"assistant","phase":"commentary","content":[{"type":"output_text","text":"More."}]}]
            """);
    }

    [Fact]
    public void AssistantWithoutToolUse_IsFinalAnswerForArrayAndStringContent()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"assistant","content":[{"type":"text","text":"A"},{"type":"text","text":"B"}]},
              {"role":"assistant","content":"C"}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"message","role":"assistant","phase":"final_answer","content":[{"type":"output_text","text":"A"},{"type":"output_text","text":"B"}]},
             {"type":"message","role":"assistant","phase":"final_answer","content":[{"type":"output_text","text":"C"}]}]
            """);
    }

    [Fact]
    public void ThinkingBlocks_CarriersBecomeReasoningAndOthersAreDropped()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"assistant","content":[
              {"type":"thinking","thinking":"Plan the edit","signature":"ENC+/1@rs_1"},
              {"type":"thinking","thinking":"Thinking...","signature":"ENC2@rs_2"},
              {"type":"thinking","thinking":"claude thought","signature":"EqQBClaudeSignature"},
              {"type":"redacted_thinking","data":"xyz"},
              {"type":"thinking","thinking":"unsigned"},
              {"type":"text","text":"Answer"}]}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"reasoning","id":"rs_1","encrypted_content":"ENC+/1","summary":[{"type":"summary_text","text":"Plan the edit"}]},
             {"type":"reasoning","id":"rs_2","encrypted_content":"ENC2","summary":[]},
             {"type":"message","role":"assistant","phase":"final_answer","content":[{"type":"output_text","text":"Answer"}]}]
            """);
    }

    [Fact]
    public void CompactionCarrier_BecomesCompactionItemAndEarlierItemsAreDropped()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"old question"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"Thinking...","signature":"cm1#OLD@cmp_0"}]},
              {"role":"user","content":"another"},
              {"role":"assistant","content":[
                {"type":"text","text":"dropped too"},
                {"type":"thinking","thinking":"Thinking...","signature":"cm1#ENC@x@cmp_1"},
                {"type":"text","text":"kept"}]},
              {"role":"user","content":"new question"}]}
            """);

        AssertProperty(actual, "input", """
            [{"type":"compaction","id":"cmp_1","encrypted_content":"ENC@x"},
             {"type":"message","role":"assistant","phase":"final_answer","content":[{"type":"output_text","text":"kept"}]},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"new question"}]}]
            """);
    }

    [Fact]
    public void Instructions_WithoutSystem_AreTheExtraPromptAlone()
    {
        var options = Options() with { ExtraPrompts = new Dictionary<string, string> { ["gpt-5.2"] = "Be brief." } };

        var actual = Translate("""{"model":"m","max_tokens":10,"messages":[]}""", options);

        AssertProperty(actual, "instructions", "\"Be brief.\"");
    }

    [Fact]
    public void Instructions_SystemAndConfiguredPrompt_AreJoinedByBlankLine()
    {
        var options = Options("gpt-5-mini") with { ExtraPrompts = ResponsesDefaults.ExtraPrompts };

        var actual = Translate("""{"model":"m","max_tokens":10,"system":"Sys","messages":[]}""", options);

        Assert.Equal("Sys\n\n" + ResponsesDefaults.ExplorePrompt, System.Text.Json.JsonSerializer.Deserialize<string>(Property(actual, "instructions")));
    }

    [Fact]
    public void Instructions_WithoutSystemOrPrompt_AreOmitted()
    {
        var actual = Translate("""{"model":"m","max_tokens":10,"system":[],"messages":[]}""");

        Assert.False(HasProperty(actual, "instructions"), actual);
    }

    [Fact]
    public void Instructions_Gpt53PlusWithoutEntry_GetBuiltInCommentaryPrompt()
    {
        var options = Options("gpt-5.7-codex") with { ExtraPrompts = new Dictionary<string, string>() };

        var actual = Translate("""{"model":"m","max_tokens":10,"system":"S","messages":[]}""", options);

        Assert.Equal("S\n\n" + ResponsesDefaults.CommentaryPrompt, System.Text.Json.JsonSerializer.Deserialize<string>(Property(actual, "instructions")));
    }

    [Theory]
    [InlineData(100, 12800)]
    [InlineData(12800, 12800)]
    [InlineData(50000, 50000)]
    public void MaxOutputTokens_IsAtLeast12800(long maxTokens, long expected)
    {
        var actual = Translate($$"""{"model":"m","max_tokens":{{maxTokens}},"messages":[]}""");

        AssertProperty(actual, "max_output_tokens", expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Tools_SchemasAreNormalisedAndEmptyDescriptionsOmitted()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[],"tools":[
              {"name":"NoSchema","description":""},
              {"name":"Typeless","input_schema":{"properties":{"a":{"type":"string"}}}},
              {"name":"NoProperties","description":"d","input_schema":{"type":"object","additionalProperties":false}}]}
            """);

        AssertProperty(actual, "tools", """
            [{"type":"function","name":"NoSchema","parameters":{"type":"object","properties":{}},"strict":false},
             {"type":"function","name":"Typeless","parameters":{"type":"object","properties":{}},"strict":false},
             {"type":"function","name":"NoProperties","description":"d",
              "parameters":{"type":"object","additionalProperties":false,"properties":{}},"strict":false}]
            """);
    }

    [Fact]
    public void WebSearchServerTool_BecomesResponsesWebSearch()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[],"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5}]}
            """);

        AssertProperty(actual, "tools", """[{"type":"web_search"}]""");
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"auto\"")]
    [InlineData("""{"type":"any"}""", "\"required\"")]
    [InlineData("""{"type":"none"}""", "\"none\"")]
    [InlineData("""{"type":"tool","name":"Read"}""", """{"type":"function","name":"Read"}""")]
    [InlineData("null", "\"auto\"")]
    public void ToolChoice_IsMapped(string choice, string expected)
    {
        var actual = Translate($$$$"""
            {"model":"m","max_tokens":10,"messages":[],"tool_choice":{{{{choice}}}},
             "tools":[{"name":"Read","input_schema":{"type":"object","properties":{}}}]}
            """);

        AssertProperty(actual, "tool_choice", expected);
    }

    [Fact]
    public void PromptCacheKey_WithoutTools_IsOmitted()
    {
        var actual = Translate("""{"model":"m","max_tokens":10,"messages":[],"tools":[]}""", Options() with { PromptCacheKey = "s1" });

        Assert.False(HasProperty(actual, "prompt_cache_key"), actual);
        Assert.False(HasProperty(actual, "tools"), actual);
    }

    [Fact]
    public void Effort_RequestValueWinsButIsClampedToTheModelList()
    {
        var options = Options("gpt-5-mini") with
        {
            Model = new ModelInfo { Id = "gpt-5-mini", ReasoningEfforts = ["low", "medium", "high"] },
        };

        var requested = Translate("""{"model":"m","max_tokens":10,"messages":[],"output_config":{"effort":"medium"}}""", options);
        var unsupported = Translate("""{"model":"m","max_tokens":10,"messages":[],"output_config":{"effort":"max"}}""", options);
        var configured = Translate("""{"model":"m","max_tokens":10,"messages":[]}""", options);

        AssertProperty(requested, "reasoning", """{"effort":"medium","summary":"detailed"}""");
        AssertProperty(unsupported, "reasoning", """{"effort":"high","summary":"detailed"}""");
        AssertProperty(configured, "reasoning", """{"effort":"low","summary":"detailed"}""");
    }

    [Theory]
    [InlineData("gpt-5.6", true)]
    [InlineData("gpt-6-luna", true)]
    [InlineData("claude-sonnet-4.5", true)]
    [InlineData("gpt-5.2", false)]
    public void ContextManagement_IsOmittedForNonGptOr56PlusModelsAndWhenDisabled(string model, bool enabled)
    {
        var actual = Translate("""{"model":"m","max_tokens":10,"messages":[]}""", Options(model) with { ContextManagement = enabled });

        Assert.False(HasProperty(actual, "context_management"), actual);
    }

    [Fact]
    public void ContextManagement_ThresholdFallsBackTo85PercentOfMaxPromptTokens()
    {
        var options = Options("gpt-5.1") with
        {
            ContextManagement = true,
            Model = new ModelInfo { Id = "gpt-5.1", MaxPromptTokens = 127999 },
        };

        var actual = Translate("""{"model":"m","max_tokens":10,"messages":[]}""", options);

        AssertProperty(actual, "context_management", """[{"type":"compaction","compact_threshold":108799}]""");
    }

    [Fact]
    public void Info_WithoutBridge_ReportsToolsOnly()
    {
        Translate("""{"model":"m","max_tokens":10,"messages":[],"tools":[{"name":"Read"}]}""", Options(), out var info);

        Assert.Equal(new ResponsesRequestInfo(null, true), info);
    }
}
