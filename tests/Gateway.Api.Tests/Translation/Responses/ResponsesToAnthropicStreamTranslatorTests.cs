using System.Buffers;
using System.Text;
using Gateway.Api.Translation.Responses;
using Gateway.Api.Usage;
using static Gateway.Api.Tests.Translation.Responses.StreamEvents;

namespace Gateway.Api.Tests.Translation.Responses;

public sealed class ResponsesToAnthropicStreamTranslatorTests
{
    private const string MessageItem = """{"type":"message","id":"msg_1","role":"assistant","status":"in_progress","content":[]}""";

    private static ResponsesToAnthropicStreamTranslator NewTranslator(ResponsesStreamOptions? options = null) => new(options ?? new ResponsesStreamOptions());

    [Fact]
    public void TextOnly_StreamsOneTextBlockAndCompletes()
    {
        var translator = NewTranslator();

        var actual = SseTestEvents.Run(translator, [
            Created(),
            InProgress(),
            ItemAdded(0, MessageItem),
            ContentPartAdded(0),
            TextDelta(0, 0, "Hel"),
            TextDelta(0, 0, "lo \"wörld\"\n"),
            TextDone(0, 0, "Hello \"wörld\"\n"),
            ItemDone(0, """{"type":"message","id":"msg_1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hello \"wörld\"\n"}]}"""),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            TextStart(0),
            Text(0, "Hel"),
            Text(0, "lo \"wörld\"\n"),
            Stop(0),
            MessageDelta("end_turn"),
            MessageStop(),
        ], actual);
        Assert.True(translator.Completed);
        Assert.Equal(new TokenUsage(100, 30, 20, 0, 150), translator.Usage);
    }

    [Fact]
    public void ReasoningThenTextThenFunctionCall_ProducesThreeBlocksInOrder()
    {
        var translator = NewTranslator();

        var actual = SseTestEvents.Run(translator, [
            Created(),
            ItemAdded(0, """{"type":"reasoning","id":"rs_1","summary":[]}"""),
            SummaryDelta(0, 0, "**Looking**"),
            SummaryDelta(0, 0, " at files"),
            SummaryDone(0, 0, "**Looking** at files"),
            SummaryDelta(0, 1, "Second part"),
            SummaryDone(0, 1, "Second part"),
            ItemDone(0, """{"type":"reasoning","id":"rs_1","encrypted_content":"gAAA+/=","summary":[{"type":"summary_text","text":"**Looking** at files"},{"type":"summary_text","text":"Second part"}]}"""),
            ItemAdded(1, MessageItem),
            TextDelta(1, 0, "Reading a.txt."),
            TextDone(1, 0, "Reading a.txt."),
            ItemDone(1, MessageItem),
            ItemAdded(2, FunctionCall("call_1", "Read")),
            ArgumentsDelta(2, "{\"path\":"),
            ArgumentsDelta(2, "\"a.txt\"}"),
            ArgumentsDone(2, "{\"path\":\"a.txt\"}"),
            ItemDone(2, FunctionCall("call_1", "Read", "{\"path\":\"a.txt\"}")),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            ThinkingStart(0),
            Thinking(0, "**Looking**"),
            Thinking(0, " at files"),
            Thinking(0, "\n\n"),
            Thinking(0, "Second part"),
            Signature(0, "gAAA+/=@rs_1"),
            Stop(0),
            TextStart(1),
            Text(1, "Reading a.txt."),
            Stop(1),
            ToolUseStart(2, "call_1", "Read"),
            Json(2, "{\"path\":"),
            Json(2, "\"a.txt\"}"),
            Stop(2),
            MessageDelta("tool_use"),
            MessageStop(),
        ], actual);
    }

    [Fact]
    public void ArgumentsInManyDeltas_AreRelayedOneForOneWithNamespaceAsName()
    {
        var fragments = new[] { "{", "\"sql\"", ":", " \"select", " *\\n", " from t\"", "}" };
        var upstream = new List<string>
        {
            Created(),
            ItemAdded(0, """{"type":"function_call","id":"fc_1","call_id":"call_9","name":"query","namespace":"mcp__db__query","arguments":"","status":"in_progress"}"""),
        };
        upstream.AddRange(fragments.Select(f => ArgumentsDelta(0, f)));
        upstream.Add(ArgumentsDone(0, string.Concat(fragments)));
        upstream.Add(Completed());

        var actual = SseTestEvents.Run(NewTranslator(), upstream);

        var expected = new List<(string, string)> { MessageStart(), ToolUseStart(0, "call_9", "mcp__db__query") };
        expected.AddRange(fragments.Select(f => Json(0, f)));
        expected.AddRange([Stop(0), MessageDelta("tool_use"), MessageStop()]);
        SseTestEvents.Equal(expected, actual);
    }

    [Fact]
    public void DoneEventsWithoutDeltas_EmitTheirFullText()
    {
        var actual = SseTestEvents.Run(NewTranslator(), [
            Created(),
            SummaryDone(0, 0, "Summary only"),
            ItemDone(0, """{"type":"reasoning","id":"rs_1","encrypted_content":"E","summary":[{"type":"summary_text","text":"Summary only"}]}"""),
            TextDone(1, 0, "Text only"),
            ItemAdded(2, FunctionCall("call_1", "Bash")),
            ArgumentsDone(2, "{\"command\":\"ls\"}"),
            ItemDone(2, FunctionCall("call_1", "Bash", "{\"command\":\"ls\"}")),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            ThinkingStart(0),
            Thinking(0, "Summary only"),
            Signature(0, "E@rs_1"),
            Stop(0),
            TextStart(1),
            Text(1, "Text only"),
            Stop(1),
            ToolUseStart(2, "call_1", "Bash"),
            Json(2, "{\"command\":\"ls\"}"),
            Stop(2),
            MessageDelta("tool_use"),
            MessageStop(),
        ], actual);
    }

    [Fact]
    public void ReasoningItemWithoutSummary_OpensThinkingPlaceholderBlock()
    {
        var actual = SseTestEvents.Run(NewTranslator(), [
            Created(),
            ItemAdded(0, """{"type":"reasoning","id":"rs_2","summary":[]}"""),
            ItemDone(0, """{"type":"reasoning","id":"rs_2","encrypted_content":"ENC","summary":[]}"""),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            ThinkingStart(0),
            Thinking(0, "Thinking..."),
            Signature(0, "ENC@rs_2"),
            Stop(0),
            MessageDelta("end_turn"),
            MessageStop(),
        ], actual);
    }

    [Fact]
    public void CompactionItem_BecomesSignedThinkingBlock()
    {
        var actual = SseTestEvents.Run(NewTranslator(), [
            Created(),
            ItemAdded(0, """{"type":"compaction","id":"cmp_1"}"""),
            ItemDone(0, """{"type":"compaction","id":"cmp_1","encrypted_content":"CMP"}"""),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            ThinkingStart(0),
            Thinking(0, "Thinking..."),
            Signature(0, "cm1#CMP@cmp_1"),
            Stop(0),
            MessageDelta("end_turn"),
            MessageStop(),
        ], actual);
    }

    [Fact]
    public void RunawayWhitespaceInArguments_AbortsWithErrorEvent()
    {
        var translator = NewTranslator();

        var actual = SseTestEvents.Run(translator, [
            Created(),
            ItemAdded(0, FunctionCall("call_1", "Glob")),
            ArgumentsDelta(0, "{\"pattern\":\"*.cs\","),
            ArgumentsDelta(0, new string('\n', 12)),
            ArgumentsDelta(0, "  \t\n" + new string('\n', 8)),
            ArgumentsDelta(0, "}"),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            ToolUseStart(0, "call_1", "Glob"),
            Json(0, "{\"pattern\":\"*.cs\","),
            Json(0, new string('\n', 12)),
            Error(ResponsesToAnthropicStreamTranslator.RunawayWhitespaceMessage),
        ], actual);
        Assert.False(translator.Completed);
    }

    [Theory]
    [InlineData("\"abc\"", 0, 0)]
    [InlineData("\"\\n\\n\\t\"", 0, 3)]
    [InlineData("\"\\n    \\n\"", 5, 7)]
    [InlineData("\"\\n\\nx\"", 5, 0)]
    [InlineData("\"\\\\n\\\\n\"", 5, 0)]
    [InlineData("\"\\u000a\\u0020\\u000D\"", 0, 2)]
    public void CountWhitespaceRun_CountsLineBreaksAndTabsAcrossDeltas(string rawJsonString, int previous, int expected)
    {
        Assert.Equal(expected, ResponsesToAnthropicStreamTranslator.CountWhitespaceRun(Encoding.UTF8.GetBytes(rawJsonString), previous));
    }

    [Fact]
    public void IncompleteForMaxOutputTokens_ClosesOpenBlockAndStopsWithMaxTokens()
    {
        var translator = NewTranslator();

        var actual = SseTestEvents.Run(translator, [
            Created(),
            TextDelta(0, 0, "cut"),
            Incomplete("max_output_tokens"),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            TextStart(0),
            Text(0, "cut"),
            Stop(0),
            MessageDelta("max_tokens", """{"input_tokens":10,"output_tokens":12800}"""),
            MessageStop(),
        ], actual);
        Assert.True(translator.Completed);
    }

    [Fact]
    public void FailedResponse_WritesErrorEventWithUpstreamMessage()
    {
        var translator = NewTranslator();

        var actual = SseTestEvents.Run(translator, [
            Created(),
            TextDelta(0, 0, "partial"),
            """{"type":"response.failed","response":{"id":"resp_1","status":"failed","error":{"code":"server_error","message":"Upstream \"boom\""}}}""",
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            TextStart(0),
            Text(0, "partial"),
            Error("Upstream \"boom\""),
        ], actual);
        Assert.False(translator.Completed);
    }

    [Fact]
    public void ErrorEvent_WritesErrorEventAndIgnoresTheRest()
    {
        var actual = SseTestEvents.Run(NewTranslator(), [
            Created(),
            """{"type":"error","code":"rate_limit_exceeded","message":"Slow down","param":null}""",
            TextDelta(0, 0, "ignored"),
        ]);

        SseTestEvents.Equal([MessageStart(), Error("Slow down")], actual);
    }

    [Fact]
    public void StreamEndingWithoutCompletion_WritesEndedWithoutCompletionError()
    {
        var translator = NewTranslator();

        var actual = SseTestEvents.Run(translator, [Created(), TextDelta(0, 0, "Hi")]);

        SseTestEvents.Equal([
            MessageStart(),
            TextStart(0),
            Text(0, "Hi"),
            Error("Responses stream ended without completion"),
        ], actual);
        Assert.False(translator.Completed);
    }

    [Fact]
    public void KeepAlive_BecomesPing()
    {
        var translator = NewTranslator();
        var output = new ArrayBufferWriter<byte>();

        translator.OnEvent("keepalive"u8, """{"type":"keepalive","sequence_number":4}"""u8, output);
        translator.OnEvent("ping"u8, ""u8, output);

        SseTestEvents.Equal([Ping(), Ping()], Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void CompletedStream_OnEndWritesNothingAndLaterEventsAreIgnored()
    {
        var translator = NewTranslator();

        var actual = SseTestEvents.Run(translator, [Created(), Completed(), TextDelta(0, 0, "late")]);

        SseTestEvents.Equal([MessageStart(), MessageDelta("end_turn"), MessageStop()], actual);
    }

    [Fact]
    public void MessageStart_UsesCallerFallbackWhenCreatedHasNoUsage()
    {
        var options = new ResponsesStreamOptions { MessageStartInputTokens = 4200, MessageStartCacheReadInputTokens = 4000 };

        var actual = SseTestEvents.Run(NewTranslator(options), [Created(), Completed()]);

        SseTestEvents.Equal([
            MessageStart("""{"input_tokens":4200,"output_tokens":0,"cache_read_input_tokens":4000}"""),
            MessageDelta("end_turn"),
            MessageStop(),
        ], actual);
    }

    [Fact]
    public void MessageStart_UsesUpstreamUsageWhenPresent()
    {
        var actual = SseTestEvents.Run(NewTranslator(), [
            Created(usage: """{"input_tokens":50,"input_tokens_details":{"cached_tokens":10},"output_tokens":0}"""),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart("""{"input_tokens":40,"output_tokens":0,"cache_read_input_tokens":10}"""),
            MessageDelta("end_turn"),
            MessageStop(),
        ], actual);
    }

    [Fact]
    public void ToolSearchCall_BecomesBridgeToolUseBlock()
    {
        var options = new ResponsesStreamOptions { ToolSearchToolName = "mcp__plugin_tool-search_tool_search__search" };

        var actual = SseTestEvents.Run(NewTranslator(options), [
            Created(),
            ItemAdded(0, """{"type":"tool_search_call","id":"tsc_1","call_id":"call_ts","execution":"client","status":"in_progress"}"""),
            ItemDone(0, """{"type":"tool_search_call","id":"tsc_1","call_id":"call_ts","execution":"client","arguments":{"names":["a","b"]},"status":"completed"}"""),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            ToolUseStart(0, "call_ts", "mcp__plugin_tool-search_tool_search__search"),
            Json(0, """{"names":"a,b"}"""),
            Stop(0),
            MessageDelta("tool_use"),
            MessageStop(),
        ], actual);
    }

    [Fact]
    public void MessageItemWithoutTextEvents_EmitsItsTextOnItemDone()
    {
        var actual = SseTestEvents.Run(NewTranslator(), [
            Created(),
            ItemAdded(0, MessageItem),
            ItemDone(0, """{"type":"message","id":"msg_1","role":"assistant","content":[{"type":"output_text","text":"Whole"}]}"""),
            Completed(),
        ]);

        SseTestEvents.Equal([
            MessageStart(),
            TextStart(0),
            Text(0, "Whole"),
            Stop(0),
            MessageDelta("end_turn"),
            MessageStop(),
        ], actual);
    }

    [Fact]
    public void OnError_AfterFirstByte_WritesErrorEvent()
    {
        var translator = NewTranslator();
        var output = new ArrayBufferWriter<byte>();
        translator.OnEvent(ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(Created()), output);

        translator.OnError("Stream idle for 300000 ms", output);
        translator.OnEnd(output);

        SseTestEvents.Equal([MessageStart(), Error("Stream idle for 300000 ms")], Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("summary")]
    [InlineData("arguments")]
    public void DeltaEvents_AllocateNothingOnceWarm(string kind)
    {
        var translator = NewTranslator();
        var output = new ArrayBufferWriter<byte>(1 << 16);
        translator.OnEvent(default, Encoding.UTF8.GetBytes(Created()), output);
        translator.OnEvent(default, Encoding.UTF8.GetBytes(ItemAdded(0, FunctionCall("call_1", "Read"))), output);
        var delta = Encoding.UTF8.GetBytes(kind switch
        {
            "text" => TextDelta(1, 0, "hello world"),
            "summary" => SummaryDelta(1, 0, "thinking"),
            _ => ArgumentsDelta(0, "{\"path\": 1"),
        });
        void Feed(int count)
        {
            for (var i = 0; i < count; i++)
            {
                translator.OnEvent(default, delta, output);
                output.ResetWrittenCount();
            }
        }
        Feed(500);

        // Tiered JIT and on-stack replacement may allocate once on this thread while the loop is recompiled (more so
        // on a busy machine): a per-event allocation shows up in every round, so the quietest of a few rounds decides.
        var allocated = long.MaxValue;
        for (var round = 0; round < 5 && allocated > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Feed(5000);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(allocated == 0, $"Expected no allocation for 5000 {kind} deltas, saw {allocated} bytes.");
    }
}
