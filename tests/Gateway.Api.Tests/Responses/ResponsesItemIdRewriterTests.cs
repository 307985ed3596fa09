using System.Text;
using Gateway.Api.Responses;

namespace Gateway.Api.Tests.Responses;

/// <summary>The SPEC §11.2 stream fix: delta events carry the item id announced by <c>response.output_item.added</c>.</summary>
public sealed class ResponsesItemIdRewriterTests
{
    /// <summary>Feeds events in order; each result is the data sent on (rewritten or as it came).</summary>
    private static List<string> Run(params string[] events)
    {
        var rewriter = new ResponsesItemIdRewriter();
        return events.Select(e => rewriter.TryRewrite(Encoding.UTF8.GetBytes(e), out var rewritten) ? Encoding.UTF8.GetString(rewritten) : e).ToList();
    }

    [Fact]
    public void DeltasWithTheAnnouncedId_PassUnchanged()
    {
        string[] events =
        [
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","type":"message"}}""",
            """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}""",
        ];

        Assert.Equal(events, Run(events));
    }

    [Fact]
    public void DeltasWithAnotherId_AreRewrittenToTheAnnouncedOne_PerOutputIndex()
    {
        var actual = Run(
            """{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"reasoning","id":"rs_A","summary":[]}}""",
            """{"type":"response.output_item.added","sequence_number":2,"output_index":1,"item":{"id":"fc_B","type":"function_call","arguments":""}}""",
            """{"type":"response.reasoning_summary_text.delta","item_id":"rs_other","output_index":0,"summary_index":0,"delta":"think"}""",
            """{"type":"response.function_call_arguments.delta","item_id":"fc_B_longer_id","output_index":1,"delta":"{\"a\":"}""",
            """{"type":"response.function_call_arguments.done","output_index":1,"item_id":"x","arguments":"{}"}""",
            """{"type":"response.output_text.delta","item_id":"unknown","output_index":7,"delta":"no announcement"}""");

        Assert.Equal(
        [
            """{"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"reasoning","id":"rs_A","summary":[]}}""",
            """{"type":"response.output_item.added","sequence_number":2,"output_index":1,"item":{"id":"fc_B","type":"function_call","arguments":""}}""",
            """{"type":"response.reasoning_summary_text.delta","item_id":"rs_A","output_index":0,"summary_index":0,"delta":"think"}""",
            """{"type":"response.function_call_arguments.delta","item_id":"fc_B","output_index":1,"delta":"{\"a\":"}""",
            """{"type":"response.function_call_arguments.done","output_index":1,"item_id":"fc_B","arguments":"{}"}""",
            """{"type":"response.output_text.delta","item_id":"unknown","output_index":7,"delta":"no announcement"}""",
        ], actual);
    }

    [Fact]
    public void ALaterAnnouncementForTheSameIndex_Wins()
    {
        var actual = Run(
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"first"}}""",
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"second"}}""",
            """{"type":"response.output_text.delta","item_id":"first","output_index":0,"delta":"x"}""");

        Assert.Equal("""{"type":"response.output_text.delta","item_id":"second","output_index":0,"delta":"x"}""", actual[^1]);
    }

    [Theory]
    [InlineData("""{"type":"response.completed","response":{"id":"resp_1","output":[]}}""")]
    [InlineData("not json at all \"item_id\"")]
    [InlineData("""{"type":"response.output_text.delta","item_id":"z","delta":"no index"}""")]
    public void EventsWithoutAnItemIdToFix_PassUnchanged(string data)
    {
        var actual = Run("""{"type":"response.output_item.added","output_index":0,"item":{"id":"a"}}""", data);

        Assert.Equal(data, actual[^1]);
    }
}
