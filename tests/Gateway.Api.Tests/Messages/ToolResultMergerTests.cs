using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class ToolResultMergerTests
{
    private static void AssertMerged(string userContent, string expectedContent)
    {
        var request = JsonAssert.Parse($$"""{"messages":[{"role":"user","content":{{userContent}}}]}""");
        ToolResultMerger.Apply(request);
        JsonAssert.Equal($$"""{"messages":[{"role":"user","content":{{expectedContent}}}]}""", request);
    }

    [Fact]
    public void EqualCounts_TextIGoesToToolResultI()
    {
        AssertMerged("""
            [{"type":"tool_result","tool_use_id":"a","content":"A"},
             {"type":"tool_result","tool_use_id":"b","content":[{"type":"text","text":"B"}]},
             {"type":"text","text":"ta"},
             {"type":"text","text":"tb","cache_control":{"type":"ephemeral"}}]
            """, """
            [{"type":"tool_result","tool_use_id":"a","content":"A\n\nta"},
             {"type":"tool_result","tool_use_id":"b","content":[{"type":"text","text":"B"},{"type":"text","text":"tb"}]}]
            """);
    }

    [Fact]
    public void DifferentCounts_AllTextsGoToLastMergeable_SkippingErrors()
    {
        AssertMerged("""
            [{"type":"tool_result","tool_use_id":"a","content":"A"},
             {"type":"tool_result","tool_use_id":"b","content":"B"},
             {"type":"tool_result","tool_use_id":"c","content":"C","is_error":true},
             {"type":"text","text":"only"}]
            """, """
            [{"type":"tool_result","tool_use_id":"a","content":"A"},
             {"type":"tool_result","tool_use_id":"b","content":"B\n\nonly"},
             {"type":"tool_result","tool_use_id":"c","content":"C","is_error":true}]
            """);
    }

    [Fact]
    public void NoMergeableToolResult_MessageUnchanged()
    {
        const string content = """
            [{"type":"tool_result","tool_use_id":"c","content":"C","is_error":true},{"type":"text","text":"t"}]
            """;
        AssertMerged(content, content);
    }

    [Fact]
    public void OtherBlockType_MessageUnchanged()
    {
        const string content = """
            [{"type":"tool_result","tool_use_id":"a","content":"A"},{"type":"text","text":"t"},{"type":"thinking","thinking":"x"}]
            """;
        AssertMerged(content, content);
    }

    [Fact]
    public void OnlyToolResults_MessageUnchanged()
    {
        const string content = """[{"type":"tool_result","tool_use_id":"a","content":"A"}]""";
        AssertMerged(content, content);
    }

    [Fact]
    public void TextNextToToolReferenceResult_Dropped_ToolLoadedRemoved()
    {
        AssertMerged("""
            [{"type":"tool_result","tool_use_id":"s","content":[{"type":"tool_reference","tool_name":"Read"}]},
             {"type":"text","text":"Tool loaded."},
             {"type":"tool_result","tool_use_id":"a","content":"A"},
             {"type":"text","text":"note"}]
            """, """
            [{"type":"tool_result","tool_use_id":"s","content":[{"type":"tool_reference","tool_name":"Read"}]},
             {"type":"tool_result","tool_use_id":"a","content":"A\n\nnote"}]
            """);
    }

    [Fact]
    public void ToolReferenceOnly_NoMerge_ToolLoadedTextRemoved()
    {
        AssertMerged("""
            [{"type":"tool_result","tool_use_id":"s","content":[{"type":"tool_reference","tool_name":"Read"}]},
             {"type":"text","text":"  Tool loaded.\n"},
             {"type":"text","text":"keep me"}]
            """, """
            [{"type":"tool_result","tool_use_id":"s","content":[{"type":"tool_reference","tool_name":"Read"}]},
             {"type":"text","text":"keep me"}]
            """);
    }

    [Fact]
    public void Images_PairedByCount_StringContentBecomesBlocks()
    {
        AssertMerged("""
            [{"type":"tool_result","tool_use_id":"a","content":"A"},
             {"type":"tool_result","tool_use_id":"b"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA"}},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"BB"}}]
            """, """
            [{"type":"tool_result","tool_use_id":"a","content":[{"type":"text","text":"A"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA"}}]},
             {"type":"tool_result","tool_use_id":"b","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"BB"}}]}]
            """);
    }

    [Fact]
    public void PdfDocument_GoesToPdfReadResult_TextToLast()
    {
        AssertMerged("""
            [{"type":"tool_result","tool_use_id":"a","content":"PDF file read: spec.pdf"},
             {"type":"tool_result","tool_use_id":"b","content":"B"},
             {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}},
             {"type":"text","text":"t"}]
            """, """
            [{"type":"tool_result","tool_use_id":"a","content":[{"type":"text","text":"PDF file read: spec.pdf"},{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}}]},
             {"type":"tool_result","tool_use_id":"b","content":"B\n\nt"}]
            """);
    }

    [Fact]
    public void AttachmentsCountDiffers_AllGoToLastMergeable()
    {
        AssertMerged("""
            [{"type":"tool_result","tool_use_id":"a","content":"A"},
             {"type":"tool_result","tool_use_id":"b","content":[]},
             {"type":"document","source":{"type":"text","media_type":"text/plain","data":"doc"}}]
            """, """
            [{"type":"tool_result","tool_use_id":"a","content":"A"},
             {"type":"tool_result","tool_use_id":"b","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"doc"}}]}]
            """);
    }

    [Fact]
    public void ExecuteCodeTool_RemovedUnlessDeferred()
    {
        var request = JsonAssert.Parse("""
            {"messages":[],"tools":[{"name":"mcp__ide__executeCode"},{"name":"Bash"},{"name":"mcp__ide__executeCode","defer_loading":true}]}
            """);

        Assert.True(ToolResultMerger.Apply(request));

        JsonAssert.Equal("""
            {"messages":[],"tools":[{"name":"Bash"},{"name":"mcp__ide__executeCode","defer_loading":true}]}
            """, request);
    }

    [Fact]
    public void AssistantMessages_NotTouched()
    {
        const string json = """
            {"messages":[{"role":"assistant","content":[{"type":"tool_result","tool_use_id":"a","content":"A"},{"type":"text","text":"t"}]}]}
            """;
        var request = JsonAssert.Parse(json);
        Assert.False(ToolResultMerger.Apply(request));
        JsonAssert.Equal(json, request);
    }
}
