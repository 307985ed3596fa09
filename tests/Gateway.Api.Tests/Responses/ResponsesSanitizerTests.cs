using System.Text;
using Gateway.Api.Catalog;
using Gateway.Api.Responses;

namespace Gateway.Api.Tests.Responses;

/// <summary>SPEC §11.2 sanitising of <c>/v1/responses</c> bodies: exact bytes in, exact bytes out.</summary>
public sealed class ResponsesSanitizerTests
{
    private static readonly ModelInfo Gpt54 = new()
    {
        Id = "gpt-5.4",
        ReasoningEfforts = ["low", "medium", "high", "xhigh"],
        VisionMaxPromptImageSize = 12,
        MaxPromptTokens = 872_000,
        SupportedEndpoints = ["/responses", "ws:/responses"],
    };

    private static readonly string Redacted = Encoding.UTF8.GetString(RedactedImage.DataUrlJson);

    private static ResponsesSanitizeOptions Options(ModelInfo? model = null) => new()
    {
        UpstreamModelId = (model ?? Gpt54).Id,
        Model = model ?? Gpt54,
    };

    private static string Sanitize(string body, ResponsesSanitizeOptions? options = null)
        => Encoding.UTF8.GetString(ResponsesSanitizer.Sanitize(Encoding.UTF8.GetBytes(body), options ?? Options()));

    [Fact]
    public void BodyNoRuleTouches_IsReturnedAsTheSameArray()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"model":"gpt-5.4","stream":true,"service_tier":null,"reasoning":{"effort":"high","summary":"auto"},
             "tools":[{"type":"function","name":"shell","parameters":{"type":"object"}},{"type":"web_search"}],
             "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"},{"type":"input_image","image_url":"https://x/y.png","detail":"high"}]},
                      {"type":"function_call_output","call_id":"c1","output":"ok"}]}
            """);

        Assert.Same(body, ResponsesSanitizer.Sanitize(body, Options()));
    }

    [Fact]
    public void ModelResolvedToAnotherId_IsReplacedInPlace_KeepingEveryOtherByte()
    {
        var actual = Sanitize("""
            {
              "model" : "gpt-5-4",
              "input": "hi"
            }
            """);

        Assert.Equal("""
            {
              "model" : "gpt-5.4",
              "input": "hi"
            }
            """, actual);
    }

    [Theory]
    [InlineData("""{"model":"gpt-5.4","service_tier":"priority","input":"x"}""", """{"model":"gpt-5.4","service_tier":null,"input":"x"}""")]
    [InlineData("""{"model":"gpt-5.4","service_tier":{"odd":[1]},"input":"x"}""", """{"model":"gpt-5.4","service_tier":null,"input":"x"}""")]
    public void ServiceTier_IsSentAsNull(string body, string expected) => Assert.Equal(expected, Sanitize(body));

    [Theory]
    [InlineData("""{"model":"gpt-5.4","reasoning":{"effort":"max","summary":"auto"}}""", """{"model":"gpt-5.4","reasoning":{"effort":"xhigh","summary":"auto"}}""")]
    [InlineData("""{"model":"gpt-5.4","reasoning":{"summary":"auto","effort":"minimal"}}""", """{"model":"gpt-5.4","reasoning":{"summary":"auto","effort":"xhigh"}}""")]
    [InlineData("""{"model":"gpt-5.4","reasoning":{"effort":"medium"}}""", """{"model":"gpt-5.4","reasoning":{"effort":"medium"}}""")]
    [InlineData("""{"model":"gpt-5.4","reasoning":{"effort":null}}""", """{"model":"gpt-5.4","reasoning":{"effort":null}}""")]
    public void ReasoningEffortOutsideTheModelsList_BecomesTheListsLastElement(string body, string expected)
        => Assert.Equal(expected, Sanitize(body));

    [Fact]
    public void ReasoningEffort_IsKeptWhenTheModelListsNoEfforts()
    {
        var model = new ModelInfo { Id = "gpt-6-luna", SupportedEndpoints = ["/responses"] };
        var body = """{"model":"gpt-6-luna","reasoning":{"effort":"max"}}""";

        Assert.Equal(body, Sanitize(body, Options(model)));
    }

    [Theory]
    [InlineData("""[{"type":"web_search"},{"type":"function","name":"a"}]""", """[{"type":"function","name":"a"}]""")]
    [InlineData("""[{"type":"function","name":"a"}, {"type":"web_search_preview"}]""", """[{"type":"function","name":"a"}]""")]
    [InlineData("""[{"type":"function","name":"a"},{"type":"web_search_2025_08_26"},{"type":"function","name":"b"}]""", """[{"type":"function","name":"a"},{"type":"function","name":"b"}]""")]
    [InlineData("""[ {"type":"web_search"} , {"type":"web_search_preview"} ]""", """[  ]""")]
    public void WebSearchTools_AreRemovedWhenUseResponsesApiWebSearchIsOff(string tools, string expected)
    {
        var actual = Sanitize($$"""{"model":"gpt-5.4","tools":{{tools}}}""", Options() with { UseWebSearch = false });

        Assert.Equal($$"""{"model":"gpt-5.4","tools":{{expected}}}""", actual);
    }

    [Fact]
    public void ApplyPatchCustomTool_BecomesAFunctionTool_AndItsHistoryItemsFunctionItems()
    {
        var actual = Sanitize("""
            {"model":"gpt-5.4","tools":[{"type":"custom","name":"apply_patch","description":"Edit files.","format":{"type":"grammar","syntax":"lark","definition":"start: x"}},{"type":"custom","name":"other"}],
             "input":[{"type":"custom_tool_call","id":"ctc_1","status":"completed","call_id":"call_1","name":"apply_patch","input":"*** Begin Patch\n*** End Patch"},
                      {"type":"custom_tool_call_output","call_id":"call_1","output":"Done"},
                      {"type":"custom_tool_call","call_id":"call_2","name":"other","input":"x"},
                      {"type":"custom_tool_call_output","call_id":"call_2","output":"y"}]}
            """);

        Assert.Equal("""
            {"model":"gpt-5.4","tools":[{"type":"function","name":"apply_patch","description":"Edit files.","parameters":{"type":"object","properties":{"input":{"type":"string"}},"required":["input"],"additionalProperties":false},"strict":false},{"type":"custom","name":"other"}],
             "input":[{"type":"function_call","id":"ctc_1","status":"completed","call_id":"call_1","name":"apply_patch","arguments":"{\"input\":\"*** Begin Patch\\n*** End Patch\"}"},
                      {"type":"function_call_output","call_id":"call_1","output":"Done"},
                      {"type":"custom_tool_call","call_id":"call_2","name":"other","input":"x"},
                      {"type":"custom_tool_call_output","call_id":"call_2","output":"y"}]}
            """, actual);
    }

    [Fact]
    public void ApplyPatchCustomToolWithoutDescription_GetsNone()
    {
        var actual = Sanitize("""{"model":"gpt-5.4","tools":[{"name":"apply_patch","type":"custom"}]}""");

        Assert.Equal("""{"model":"gpt-5.4","tools":[{"type":"function","name":"apply_patch","parameters":{"type":"object","properties":{"input":{"type":"string"}},"required":["input"],"additionalProperties":false},"strict":false}]}""", actual);
    }

    [Fact]
    public void ApplyPatch_IsLeftCustomWhenUseFunctionApplyPatchIsOff()
    {
        var body = """{"model":"gpt-5.4","tools":[{"type":"custom","name":"apply_patch"}],"input":[{"type":"custom_tool_call","call_id":"c","name":"apply_patch","input":"p"}]}""";

        Assert.Equal(body, Sanitize(body, Options() with { UseFunctionApplyPatch = false }));
    }

    [Theory]
    [InlineData("""{"internal_chat_message_metadata_passthrough":{"a":1},"type":"message","role":"user","content":"x"}""", """{"type":"message","role":"user","content":"x"}""")]
    [InlineData("""{"type":"message", "internal_chat_message_metadata_passthrough":{"a":1}, "role":"user"}""", """{"type":"message", "role":"user"}""")]
    [InlineData("""{"type":"message","role":"user","internal_chat_message_metadata_passthrough":null}""", """{"type":"message","role":"user"}""")]
    [InlineData("""{"internal_chat_message_metadata_passthrough":"x"}""", """{}""")]
    public void MetadataPassthroughField_IsRemovedFromInputItems(string item, string expected)
        => Assert.Equal($$"""{"model":"gpt-5.4","input":[{{expected}}]}""", Sanitize($$"""{"model":"gpt-5.4","input":[{{item}}]}"""));

    [Theory]
    [InlineData("""{"type":"input_image","image_url":"https://x/a.png","detail":"original"}""", """{"type":"input_image","image_url":"https://x/a.png","detail":"auto"}""")]
    [InlineData("""{"type":"input_image","detail":null,"image_url":"https://x/a.png"}""", """{"type":"input_image","detail":"auto","image_url":"https://x/a.png"}""")]
    [InlineData("""{"type":"input_image","image_url":"https://x/a.png"}""", """{"detail":"auto","type":"input_image","image_url":"https://x/a.png"}""")]
    [InlineData("""{"type":"input_image","image_url":"data:image/png;base64,AAAAAAAAAAAAAAAA","detail":"low"}""", """{"type":"input_image","image_url":"data:image/png;base64,AAAAAAAAAAAAAAAA","detail":"low"}""")]
    public void ImageDetailOtherThanLowHighAuto_BecomesAuto(string part, string expected)
    {
        var actual = Sanitize($$"""{"model":"gpt-5.4","input":[{"role":"user","content":[{"type":"input_text","text":"see"},{{part}}]}]}""");

        Assert.Equal($$"""{"model":"gpt-5.4","input":[{"role":"user","content":[{"type":"input_text","text":"see"},{{expected}}]}]}""", actual);
    }

    [Fact]
    public void DataUrlImageLargerThanTheModelAllows_IsReplacedByTheRedactedPngWithDetailLow()
    {
        // 20 base64 characters decode to 15 bytes, over the model's 12; 16 characters (12 bytes) are allowed.
        var actual = Sanitize("""
            {"model":"gpt-5.4","input":[
              {"role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,AAAAAAAAAAAAAAAAAAAA","detail":"high"}]},
              {"type":"function_call_output","call_id":"c","output":[{"type":"input_image","image_url":"data:image/png;base64,BBBBBBBBBBBBBBBBBBBB"}]}]}
            """);

        Assert.Equal($$"""
            {"model":"gpt-5.4","input":[
              {"role":"user","content":[{"type":"input_image","image_url":{{Redacted}},"detail":"low"}]},
              {"type":"function_call_output","call_id":"c","output":[{"detail":"low","type":"input_image","image_url":{{Redacted}}}]}]}
            """, actual);
    }

    [Fact]
    public void RedactedImage_IsAPng()
    {
        var url = Redacted.Trim('"');
        Assert.StartsWith("data:image/png;base64,", url);
        var png = Convert.FromBase64String(url["data:image/png;base64,".Length..]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
    }

    [Fact]
    public void ItemsBeforeTheLatestCompaction_AreDropped_WithTheEditsInsideThem()
    {
        var actual = Sanitize("""
            {"model":"gpt-5.4","input":[
              {"role":"user","content":[{"type":"input_image","image_url":"https://x/old.png","detail":"bad"}]},
              {"type":"compaction","id":"cmp_1","encrypted_content":"e1"},
              {"role":"user","content":"middle","internal_chat_message_metadata_passthrough":1},
              {"type":"compaction","id":"cmp_2","encrypted_content":"e2"},
              {"role":"user","content":"latest","internal_chat_message_metadata_passthrough":2}]}
            """);

        Assert.Equal("""
            {"model":"gpt-5.4","input":[
              {"type":"compaction","id":"cmp_2","encrypted_content":"e2"},
              {"role":"user","content":"latest"}]}
            """, actual);
    }

    [Fact]
    public void ContextManagement_IsAddedForGptModelsWhenEnabled_WithTheConfiguredThreshold()
    {
        var actual = Sanitize("""{"model":"gpt-5.4","input":"x"}""", Options() with { ContextManagement = true });

        Assert.Equal("""{"model":"gpt-5.4","input":"x","context_management":[{"type":"compaction","compact_threshold":217600}]}""", actual);
    }

    [Fact]
    public void ContextManagementThreshold_FallsBackTo85PercentOfMaxPromptTokens()
    {
        var model = new ModelInfo { Id = "gpt-5-mini", MaxPromptTokens = 128_000, SupportedEndpoints = ["/responses"] };

        var actual = Sanitize("""{"model":"gpt-5-mini","input":"x"}""", Options(model) with { ContextManagement = true });

        Assert.Equal("""{"model":"gpt-5-mini","input":"x","context_management":[{"type":"compaction","compact_threshold":108800}]}""", actual);
    }

    [Theory]
    [InlineData("gpt-5.6", false)]
    [InlineData("o4-mini", false)]
    [InlineData("gpt-5.5", true)]
    public void ContextManagement_OnlyForGptModelsBelow56(string modelId, bool added)
    {
        var model = new ModelInfo { Id = modelId, SupportedEndpoints = ["/responses"] };
        var body = $$"""{"model":"{{modelId}}","input":[{"role":"user","content":"x"}]}""";

        var actual = Sanitize(body, Options(model) with { ContextManagement = true });

        var threshold = modelId == "gpt-5.5" ? 217600 : 170000;
        Assert.Equal(added ? body[..^1] + $$""","context_management":[{"type":"compaction","compact_threshold":{{threshold}}}]}""" : body, actual);
    }

    [Fact]
    public void CompactionTrigger_LetsTheFlagAloneDecide()
    {
        var model = new ModelInfo { Id = "gpt-5.6", SupportedEndpoints = ["/responses"] };
        var body = """{"model":"gpt-5.6","input":[{"role":"user","content":"x"},{"type":"compaction_trigger"}]}""";

        Assert.Equal(
            """{"model":"gpt-5.6","input":[{"role":"user","content":"x"},{"type":"compaction_trigger"}],"context_management":[{"type":"compaction","compact_threshold":170000}]}""",
            Sanitize(body, Options(model) with { ContextManagement = true }));
        Assert.Equal(body, Sanitize(body, Options(model)));
    }

    [Fact]
    public void ClientSentContextManagement_IsKept()
    {
        var body = """{"model":"gpt-5.4","context_management":[{"type":"compaction","compact_threshold":5}],"input":"x"}""";

        Assert.Equal(body, Sanitize(body, Options() with { ContextManagement = true }));
    }

    [Fact]
    public void ContextManagementDisabled_AddsNothing()
    {
        var body = """{"model":"gpt-5.4","input":"x"}""";

        Assert.Equal(body, Sanitize(body));
    }

    [Fact]
    public void SeveralRules_ApplyTogether()
    {
        var actual = Sanitize("""
            {"model":"gpt-5-4","service_tier":"flex","reasoning":{"effort":"max"},"tools":[{"type":"web_search"},{"type":"custom","name":"apply_patch"}],"input":[{"type":"custom_tool_call","call_id":"c9","name":"apply_patch","input":"p","internal_chat_message_metadata_passthrough":{}}]}
            """, Options() with { UseWebSearch = false, ContextManagement = true });

        Assert.Equal("""
            {"model":"gpt-5.4","service_tier":null,"reasoning":{"effort":"xhigh"},"tools":[{"type":"function","name":"apply_patch","parameters":{"type":"object","properties":{"input":{"type":"string"}},"required":["input"],"additionalProperties":false},"strict":false}],"input":[{"type":"function_call","call_id":"c9","name":"apply_patch","arguments":"{\"input\":\"p\"}"}],"context_management":[{"type":"compaction","compact_threshold":217600}]}
            """, actual);
    }
}
