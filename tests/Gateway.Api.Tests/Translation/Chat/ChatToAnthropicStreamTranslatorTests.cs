using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.Translation.Chat;
using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Translation.Chat;

public sealed class ChatToAnthropicStreamTranslatorTests
{
    private const string Id = "chatcmpl-1";
    private const string Claude = "claude-sonnet-4.5";
    private const string Gemini = "gemini-2.5-pro";

    // Upstream chunks ---------------------------------------------------------------------------------------------

    private static string Chunk(string model, JsonObject? delta, string? finish = null, JsonObject? usage = null)
    {
        var choice = new JsonObject { ["index"] = 0, ["delta"] = delta ?? new JsonObject(), ["finish_reason"] = finish };
        var chunk = new JsonObject { ["id"] = Id, ["object"] = "chat.completion.chunk", ["model"] = model, ["choices"] = new JsonArray(choice) };
        if (usage is not null)
        {
            chunk["usage"] = usage;
        }
        return chunk.ToJsonString();
    }

    private static string UsageOnly(string model, JsonObject usage)
        => new JsonObject { ["id"] = Id, ["model"] = model, ["choices"] = new JsonArray(), ["usage"] = usage }.ToJsonString();

    private static JsonObject Usage(int prompt, int completion, int? cached = null)
    {
        var usage = new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };
        if (cached is { } c)
        {
            usage["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = c };
        }
        return usage;
    }

    private static JsonObject Delta(string? content = null, string? reasoning = null, string? opaque = null, JsonArray? toolCalls = null)
    {
        var delta = new JsonObject();
        if (content is not null)
        {
            delta["content"] = content;
        }
        if (reasoning is not null)
        {
            delta["reasoning_text"] = reasoning;
        }
        if (opaque is not null)
        {
            delta["reasoning_opaque"] = opaque;
        }
        if (toolCalls is not null)
        {
            delta["tool_calls"] = toolCalls;
        }
        return delta;
    }

    private static JsonObject Call(int index, string? id, string? name, string? arguments)
    {
        var function = new JsonObject();
        if (name is not null)
        {
            function["name"] = name;
        }
        if (arguments is not null)
        {
            function["arguments"] = arguments;
        }
        var call = new JsonObject { ["index"] = index, ["function"] = function };
        if (id is not null)
        {
            call["id"] = id;
            call["type"] = "function";
        }
        return call;
    }

    private static JsonArray Calls(params JsonObject[] calls) => new(calls);

    // Expected Anthropic events ------------------------------------------------------------------------------------

    private static (string, string) MessageStart(string model, long input = 0, long? cacheRead = null)
    {
        var usage = new JsonObject { ["input_tokens"] = input, ["output_tokens"] = 0 };
        if (cacheRead is { } c)
        {
            usage["cache_read_input_tokens"] = c;
        }
        var message = new JsonObject
        {
            ["id"] = Id, ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
            ["stop_reason"] = null, ["stop_sequence"] = null, ["usage"] = usage,
        };
        return ("message_start", new JsonObject { ["type"] = "message_start", ["message"] = message }.ToJsonString());
    }

    private static (string, string) BlockStart(int index, JsonObject block)
        => ("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = block }.ToJsonString());

    private static (string, string) TextStart(int index) => BlockStart(index, new JsonObject { ["type"] = "text", ["text"] = "" });

    private static (string, string) ThinkingStart(int index) => BlockStart(index, new JsonObject { ["type"] = "thinking", ["thinking"] = "" });

    private static (string, string) ToolStart(int index, string id, string name)
        => BlockStart(index, new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() });

    private static (string, string) BlockDelta(int index, string type, string field, string value)
        => ("content_block_delta", new JsonObject
        {
            ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = type, [field] = value },
        }.ToJsonString());

    private static (string, string) TextDelta(int index, string text) => BlockDelta(index, "text_delta", "text", text);

    private static (string, string) ThinkingDelta(int index, string thinking) => BlockDelta(index, "thinking_delta", "thinking", thinking);

    private static (string, string) SignatureDelta(int index, string signature) => BlockDelta(index, "signature_delta", "signature", signature);

    private static (string, string) InputDelta(int index, string partialJson) => BlockDelta(index, "input_json_delta", "partial_json", partialJson);

    private static (string, string) BlockStop(int index)
        => ("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }.ToJsonString());

    private static (string, string) MessageDelta(string? stopReason, long input, long output, long? cacheRead = null)
    {
        var usage = new JsonObject { ["input_tokens"] = input, ["output_tokens"] = output };
        if (cacheRead is { } c)
        {
            usage["cache_read_input_tokens"] = c;
        }
        return ("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = usage,
        }.ToJsonString());
    }

    private static (string, string) MessageStop() => ("message_stop", """{"type":"message_stop"}""");

    private static (string, string) Error(string message)
        => ("error", new JsonObject
        {
            ["type"] = "error", ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = message },
        }.ToJsonString());

    private static ChatToAnthropicStreamTranslator Translator(string model, long? fallbackInput = null, long? fallbackCacheRead = null, string reasoningField = "reasoning_content")
        => new(new ChatStreamOptions
        {
            ModelId = model,
            FallbackInputTokens = fallbackInput,
            FallbackCacheReadInputTokens = fallbackCacheRead,
            ReasoningField = reasoningField,
        });

    // Tests ---------------------------------------------------------------------------------------------------------

    [Fact]
    public void PlainText_StreamsOneTextBlockThenCompletesOnUsageChunk()
    {
        var translator = Translator("gpt-4.1");
        var sse = SseEvents.Run(translator, [
            Chunk("gpt-4.1", new JsonObject { ["role"] = "assistant", ["content"] = "" }),
            Chunk("gpt-4.1", Delta("Hel")),
            Chunk("gpt-4.1", Delta("lo \"world\"\n")),
            Chunk("gpt-4.1", Delta(), "stop"),
            UsageOnly("gpt-4.1", Usage(100, 7, cached: 40)),
            "[DONE]",
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            TextStart(0),
            TextDelta(0, "Hel"),
            TextDelta(0, "lo \"world\"\n"),
            BlockStop(0),
            MessageDelta("end_turn", 60, 7, 40),
            MessageStop(),
        ], sse);
        Assert.True(translator.Completed);
        Assert.Equal(new TokenUsage(60, 7, 40, 0, 107), translator.Usage);
    }

    [Fact]
    public void ClaudeThinkingThenTextThenTool_SignatureFromOpaqueAndIndicesInOrder()
    {
        var sse = SseEvents.Run(Translator(Claude), [
            Chunk(Claude, Delta(reasoning: "Let me ")),
            Chunk(Claude, Delta(reasoning: "check.")),
            Chunk(Claude, Delta(content: "", opaque: "sig-abc")),
            Chunk(Claude, Delta("Reading the file.")),
            Chunk(Claude, Delta(toolCalls: Calls(Call(0, "toolu_1", "read", "")))),
            Chunk(Claude, Delta(toolCalls: Calls(Call(0, null, null, "{\"path\":\"a\"}")))),
            Chunk(Claude, Delta(), "tool_calls", Usage(50, 30)),
            "[DONE]",
        ]);
        SseEvents.Equal([
            MessageStart(Claude),
            ThinkingStart(0),
            ThinkingDelta(0, "Let me "),
            ThinkingDelta(0, "check."),
            SignatureDelta(0, "sig-abc"),
            BlockStop(0),
            TextStart(1),
            TextDelta(1, "Reading the file."),
            BlockStop(1),
            ToolStart(2, "toolu_1", "read"),
            InputDelta(2, "{\"path\":\"a\"}"),
            BlockStop(2),
            MessageDelta("tool_use", 50, 30),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void NonClaudeThinkingClosedByText_GetsEmptySignature()
    {
        var sse = SseEvents.Run(Translator(Gemini), [
            Chunk(Gemini, Delta(reasoning: "hmm")),
            Chunk(Gemini, Delta("Answer")),
            Chunk(Gemini, Delta(), "stop", Usage(5, 2)),
        ]);
        SseEvents.Equal([
            MessageStart(Gemini),
            ThinkingStart(0),
            ThinkingDelta(0, "hmm"),
            SignatureDelta(0, ""),
            BlockStop(0),
            TextStart(1),
            TextDelta(1, "Answer"),
            BlockStop(1),
            MessageDelta("end_turn", 5, 2),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void ReasoningWhileTextBlockOpen_IsSentAsText()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1"), [
            Chunk("gpt-4.1", Delta("A")),
            Chunk("gpt-4.1", Delta(reasoning: "B")),
            Chunk("gpt-4.1", Delta(), "stop", Usage(1, 2)),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            TextStart(0),
            TextDelta(0, "A"),
            TextDelta(0, "B"),
            BlockStop(0),
            MessageDelta("end_turn", 1, 2),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void ToolArgumentsSplitAcrossManyChunks_EachBecomesInputJsonDelta()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1"), [
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, "call_1", "edit", null)))),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, null, null, "{\"fi")))),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, null, null, "le\":\"x.cs\",")))),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, null, null, "\"text\":\"é\\n\"")))),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, null, null, "}")))),
            Chunk("gpt-4.1", Delta(), "tool_calls"),
            UsageOnly("gpt-4.1", Usage(9, 4)),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            ToolStart(0, "call_1", "edit"),
            InputDelta(0, "{\"fi"),
            InputDelta(0, "le\":\"x.cs\","),
            InputDelta(0, "\"text\":\"é\\n\""),
            InputDelta(0, "}"),
            BlockStop(0),
            MessageDelta("tool_use", 9, 4),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void TwoParallelToolCalls_GetTheirOwnBlocks()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1"), [
            Chunk("gpt-4.1", Delta(content: "Both:")),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, "call_a", "read", "{\"p\":")))),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, null, null, "\"a\"}")))),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(1, "call_b", "read", "")))),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(1, null, null, "{\"p\":\"b\"}")))),
            Chunk("gpt-4.1", Delta(), "tool_calls", Usage(20, 10, cached: 0)),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            TextStart(0),
            TextDelta(0, "Both:"),
            BlockStop(0),
            ToolStart(1, "call_a", "read"),
            InputDelta(1, "{\"p\":"),
            InputDelta(1, "\"a\"}"),
            BlockStop(1),
            ToolStart(2, "call_b", "read"),
            InputDelta(2, "{\"p\":\"b\"}"),
            BlockStop(2),
            MessageDelta("tool_use", 20, 10, 0),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void TwoToolCallsInOneChunk_OpenTwoBlocks()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1"), [
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, "call_a", "ls", "{}"), Call(1, "call_b", "pwd", "{}"))), "tool_calls", Usage(3, 4)),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1", 3),
            ToolStart(0, "call_a", "ls"),
            InputDelta(0, "{}"),
            BlockStop(0),
            ToolStart(1, "call_b", "pwd"),
            InputDelta(1, "{}"),
            BlockStop(1),
            MessageDelta("tool_use", 3, 4),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void RepeatedIdOnFragments_ContinuesTheSameBlock()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1"), [
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, "call_a", "ls", "{\"a\":")))),
            Chunk("gpt-4.1", Delta(toolCalls: Calls(Call(0, "call_a", "ls", "1}")))),
            Chunk("gpt-4.1", Delta(), "tool_calls", Usage(1, 1)),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            ToolStart(0, "call_a", "ls"),
            InputDelta(0, "{\"a\":"),
            InputDelta(0, "1}"),
            BlockStop(0),
            MessageDelta("tool_use", 1, 1),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void ReasoningOpaqueWithToolCalls_BecomesCompleteThinkingBlockBeforeTool()
    {
        var sse = SseEvents.Run(Translator(Gemini), [
            Chunk(Gemini, Delta(reasoning: "plan")),
            Chunk(Gemini, Delta(opaque: "enc-1", toolCalls: Calls(Call(0, "call_1", "ls", "{}")))),
            Chunk(Gemini, Delta(), "tool_calls", Usage(4, 4)),
        ]);
        SseEvents.Equal([
            MessageStart(Gemini),
            ThinkingStart(0),
            ThinkingDelta(0, "plan"),
            SignatureDelta(0, ""),
            BlockStop(0),
            ThinkingStart(1),
            ThinkingDelta(1, "Thinking..."),
            SignatureDelta(1, "enc-1"),
            BlockStop(1),
            ToolStart(2, "call_1", "ls"),
            InputDelta(2, "{}"),
            BlockStop(2),
            MessageDelta("tool_use", 4, 4),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void ClaudeOpaqueArrivingWithToolCalls_SignsTheOpenThinkingBlock()
    {
        var sse = SseEvents.Run(Translator(Claude), [
            Chunk(Claude, Delta(reasoning: "plan")),
            Chunk(Claude, Delta(opaque: "sig-1", toolCalls: Calls(Call(0, "toolu_1", "ls", "{}")))),
            Chunk(Claude, Delta(), "tool_calls", Usage(4, 4)),
        ]);
        SseEvents.Equal([
            MessageStart(Claude),
            ThinkingStart(0),
            ThinkingDelta(0, "plan"),
            SignatureDelta(0, "sig-1"),
            BlockStop(0),
            ToolStart(1, "toolu_1", "ls"),
            InputDelta(1, "{}"),
            BlockStop(1),
            MessageDelta("tool_use", 4, 4),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void ReasoningOpaqueOnFinishAfterText_EmitsSyntheticThinkingBlock()
    {
        var sse = SseEvents.Run(Translator(Gemini), [
            Chunk(Gemini, Delta("Hi")),
            Chunk(Gemini, Delta(opaque: "enc-2"), "stop", Usage(2, 1)),
        ]);
        SseEvents.Equal([
            MessageStart(Gemini),
            TextStart(0),
            TextDelta(0, "Hi"),
            BlockStop(0),
            ThinkingStart(1),
            ThinkingDelta(1, "Thinking..."),
            SignatureDelta(1, "enc-2"),
            BlockStop(1),
            MessageDelta("end_turn", 2, 1),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void ReasoningOpaqueOnFinishAfterToolBlock_IsDropped()
    {
        var sse = SseEvents.Run(Translator(Gemini), [
            Chunk(Gemini, Delta(toolCalls: Calls(Call(0, "call_1", "ls", "{}")))),
            Chunk(Gemini, Delta(opaque: "enc-3"), "tool_calls", Usage(2, 1)),
        ]);
        SseEvents.Equal([
            MessageStart(Gemini),
            ToolStart(0, "call_1", "ls"),
            InputDelta(0, "{}"),
            BlockStop(0),
            MessageDelta("tool_use", 2, 1),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void FinishThenUsageOnlyChunk_MessageDeltaWaitsForUsage()
    {
        var translator = Translator("gpt-4.1");
        var output = new ArrayBufferWriter<byte>();
        translator.OnEvent([], Encoding.UTF8.GetBytes(Chunk("gpt-4.1", Delta("x"))), output);
        translator.OnEvent([], Encoding.UTF8.GetBytes(Chunk("gpt-4.1", Delta(), "length")), output);
        var beforeUsage = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.DoesNotContain("message_delta", beforeUsage, StringComparison.Ordinal);
        Assert.False(translator.Completed);

        translator.OnEvent([], Encoding.UTF8.GetBytes(UsageOnly("gpt-4.1", Usage(11, 22, cached: 1))), output);
        translator.OnEvent([], "[DONE]"u8, output);
        translator.OnEnd(output);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            TextStart(0),
            TextDelta(0, "x"),
            BlockStop(0),
            MessageDelta("max_tokens", 10, 22, 1),
            MessageStop(),
        ], Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.True(translator.Completed);
    }

    [Fact]
    public void UsageOnFirstChunk_IsUsedInMessageStart()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1", fallbackInput: 999), [
            Chunk("gpt-4.1", Delta("x"), "stop", Usage(30, 1, cached: 10)),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1", 20, 10),
            TextStart(0),
            TextDelta(0, "x"),
            BlockStop(0),
            MessageDelta("end_turn", 20, 1, 10),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void NoUsageOnFirstChunk_UsesFallbackInMessageStart()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1", fallbackInput: 1234, fallbackCacheRead: 1000), [
            Chunk("gpt-4.1", Delta("x")),
            Chunk("gpt-4.1", Delta(), "stop"),
            UsageOnly("gpt-4.1", Usage(2300, 5, cached: 1000)),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1", 1234, 1000),
            TextStart(0),
            TextDelta(0, "x"),
            BlockStop(0),
            MessageDelta("end_turn", 1300, 5, 1000),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void DoneWithoutUsage_CompletesWithMessageStartUsage()
    {
        var translator = Translator("gpt-4.1", fallbackInput: 77);
        var sse = SseEvents.Run(translator, [
            Chunk("gpt-4.1", Delta("x")),
            Chunk("gpt-4.1", Delta(), "stop"),
            "[DONE]",
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1", 77),
            TextStart(0),
            TextDelta(0, "x"),
            BlockStop(0),
            MessageDelta("end_turn", 77, 0),
            MessageStop(),
        ], sse);
        Assert.True(translator.Completed);
        Assert.Equal(new TokenUsage(77, 0, 0, 0), translator.Usage);
    }

    [Fact]
    public void StreamEndingWithoutFinishReason_ClosesBlockAndEmitsError()
    {
        var translator = Translator("gpt-4.1");
        var sse = SseEvents.Run(translator, [
            Chunk("gpt-4.1", Delta("partial")),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            TextStart(0),
            TextDelta(0, "partial"),
            BlockStop(0),
            Error(ChatToAnthropicStreamTranslator.EndedEarlyMessage),
        ], sse);
        Assert.False(translator.Completed);
    }

    [Fact]
    public void DoneWithoutFinishReason_EmitsErrorOnce()
    {
        var sse = SseEvents.Run(Translator(Claude), [
            Chunk(Claude, Delta(reasoning: "hm")),
            "[DONE]",
        ]);
        SseEvents.Equal([
            MessageStart(Claude),
            ThinkingStart(0),
            ThinkingDelta(0, "hm"),
            SignatureDelta(0, ""),
            BlockStop(0),
            Error(ChatToAnthropicStreamTranslator.EndedEarlyMessage),
        ], sse);
    }

    [Fact]
    public void EmptyDataAndNonJsonLines_AreSkipped()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1"), [
            "",
            "   ",
            Chunk("gpt-4.1", Delta("x")),
            "",
            ": keep-alive",
            Chunk("gpt-4.1", Delta(), "stop", Usage(1, 1)),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            TextStart(0),
            TextDelta(0, "x"),
            BlockStop(0),
            MessageDelta("end_turn", 1, 1),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void MidStreamOnError_EmitsErrorAndIgnoresTheRest()
    {
        var translator = Translator("gpt-4.1");
        var output = new ArrayBufferWriter<byte>();
        translator.OnEvent([], Encoding.UTF8.GetBytes(Chunk("gpt-4.1", Delta("x"))), output);
        translator.OnError("connection reset", output);
        translator.OnEvent([], Encoding.UTF8.GetBytes(Chunk("gpt-4.1", Delta("y"))), output);
        translator.OnEnd(output);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            TextStart(0),
            TextDelta(0, "x"),
            Error("connection reset"),
        ], Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.False(translator.Completed);
    }

    [Fact]
    public void OnErrorWithoutMessage_UsesDefaultMessage()
    {
        var sse = new ArrayBufferWriter<byte>();
        Translator("gpt-4.1").OnError("", sse);
        SseEvents.Equal([Error("An unexpected error occurred during streaming.")], Encoding.UTF8.GetString(sse.WrittenSpan));
    }

    [Fact]
    public void UpstreamErrorChunk_BecomesErrorEvent()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1"), [
            Chunk("gpt-4.1", Delta("x")),
            """{"error":{"message":"Rate limit reached","type":"rate_limit"}}""",
            Chunk("gpt-4.1", Delta("y")),
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1"),
            TextStart(0),
            TextDelta(0, "x"),
            Error("Rate limit reached"),
        ], sse);
    }

    [Fact]
    public void AfterCompletion_OnEndAndOnErrorWriteNothing()
    {
        var translator = Translator("gpt-4.1");
        var output = new ArrayBufferWriter<byte>();
        translator.OnEvent([], Encoding.UTF8.GetBytes(Chunk("gpt-4.1", Delta("x"), "stop", Usage(1, 1))), output);
        var length = output.WrittenCount;
        translator.OnEvent([], "[DONE]"u8, output);
        translator.OnEnd(output);
        translator.OnError("late", output);
        Assert.Equal(length, output.WrittenCount);
        Assert.True(translator.Completed);
    }

    [Fact]
    public void ProviderReasoningField_OpensThinkingBlock()
    {
        var delta = new JsonObject { ["reasoning_content"] = "think" };
        var sse = SseEvents.Run(Translator("deepseek-reasoner"), [
            Chunk("deepseek-reasoner", delta),
            Chunk("deepseek-reasoner", Delta("ok"), "stop", Usage(1, 2)),
        ]);
        SseEvents.Equal([
            MessageStart("deepseek-reasoner"),
            ThinkingStart(0),
            ThinkingDelta(0, "think"),
            SignatureDelta(0, ""),
            BlockStop(0),
            TextStart(1),
            TextDelta(1, "ok"),
            BlockStop(1),
            MessageDelta("end_turn", 1, 2),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void ChunkWithoutModel_UsesConfiguredModelId()
    {
        var sse = SseEvents.Run(Translator("gpt-4.1"), [
            """{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}""",
        ]);
        SseEvents.Equal([
            MessageStart("gpt-4.1", 1),
            TextStart(0),
            TextDelta(0, "x"),
            BlockStop(0),
            MessageDelta("end_turn", 1, 1),
            MessageStop(),
        ], sse);
    }

    [Fact]
    public void NonAsciiAndEscapedText_IsRelayedByteForByte()
    {
        var output = new ArrayBufferWriter<byte>();
        var translator = Translator("gpt-4.1");
        translator.OnEvent([], """{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"日本 \u00e9\n"}}]}"""u8, output);
        var sse = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Contains("""{"type":"text_delta","text":"日本 \u00e9\n"}""", sse, StringComparison.Ordinal);
    }
}
