using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// SPEC §7: a Chat Completions stream → an Anthropic Messages stream, chunk by chunk. Each chunk is read in one
/// <see cref="Utf8JsonReader"/> pass (<see cref="ChatStreamChunk"/>); upstream strings are copied into the events as
/// raw JSON straight from the chunk's bytes. State is the open block, the next block index and the tool calls by
/// OpenAI <c>index</c>.
/// </summary>
public sealed class ChatToAnthropicStreamTranslator : IStreamTranslator
{
    internal const string DefaultErrorMessage = "An unexpected error occurred during streaming.";
    internal const string EndedEarlyMessage = "The upstream stream ended before the response was complete.";

    private enum BlockKind : byte
    {
        None,
        Text,
        Thinking,
        ToolUse,
    }

    private enum DeltaKind : byte
    {
        Text,
        Thinking,
        Signature,
        InputJson,
    }

    private readonly ChatStreamOptions _options;
    private readonly bool _isClaude;
    private readonly ChatStreamChunk _chunk;
    private List<ToolCallSlot>? _toolCalls;
    private bool _started;
    private bool _finished;
    private bool _completed;
    private bool _ended;
    private int _nextIndex;
    private BlockKind _openKind;
    private int _openIndex;
    private string? _stopReason;
    private string? _pendingOpaque;
    private ChatUsage? _usage;
    private long _startInputTokens;
    private long? _startCacheReadTokens;

    public ChatToAnthropicStreamTranslator(ChatStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _isClaude = options.ModelId.StartsWith("claude", StringComparison.Ordinal);
        _chunk = new ChatStreamChunk(Encoding.UTF8.GetBytes(options.ReasoningField));
    }

    public TokenUsage Usage => _usage is { } usage
        ? usage.ToTokenUsage()
        : new TokenUsage(_startInputTokens, 0, _startCacheReadTokens ?? 0, 0);

    public bool Completed => _completed;

    public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (_ended)
        {
            return;
        }
        data = data.Trim(" \t\r\n"u8);
        if (data.IsEmpty)
        {
            return;
        }
        if (data.SequenceEqual("[DONE]"u8))
        {
            End(output);
            return;
        }
        try
        {
            _chunk.Read(data);
        }
        catch (JsonException)
        {
            // Not a chunk (some OpenAI-compatible servers send keep-alive text as data); nothing to translate.
            return;
        }
        OnChunk(data, output);
    }

    public void OnEnd(IBufferWriter<byte> output) => End(output);

    public void OnError(string message, IBufferWriter<byte> output)
    {
        if (_ended)
        {
            return;
        }
        _ended = true;
        WriteError(output, default, default, string.IsNullOrWhiteSpace(message) ? DefaultErrorMessage : message);
    }

    /// <param name="json">The chunk's bytes: every <see cref="JsonRange"/> of <see cref="_chunk"/> points into them.</param>
    private void OnChunk(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        var chunk = _chunk;
        if (!chunk.IsObject)
        {
            return;
        }
        // OpenAI-compatible servers report mid-stream failures as a data chunk {"error": {...}}.
        if (chunk.ErrorKind is JsonValueKind.Object or JsonValueKind.String)
        {
            _ended = true;
            WriteError(output, json, chunk.ErrorMessage, DefaultErrorMessage);
            return;
        }
        if (chunk.Usage is { } usage)
        {
            _usage = usage;
        }
        if (chunk.HasChoices)
        {
            // Step 1: the first chunk with choices starts the message.
            if (!_started)
            {
                WriteMessageStart(json, chunk.Id, chunk.Model, output);
            }
            var choices = chunk.Choices;
            for (var i = 0; i < choices.Count; i++)
            {
                OnChoice(json, choices[i], output);
            }
        }
        // Step 6: complete once both the finish reason and the usage are known, whichever came last.
        if (_finished && _usage is not null)
        {
            Complete(output);
        }
    }

    private void OnChoice(ReadOnlySpan<byte> json, ChatStreamChoice choice, IBufferWriter<byte> output)
    {
        string? opaque = null;
        if (choice.HasDelta)
        {
            var reasoning = choice.ReasoningText.IsNonEmptyString ? choice.ReasoningText : choice.ReasoningField;
            if (reasoning.IsNonEmptyString)
            {
                OnReasoning(json, reasoning, output);
            }
            if (choice.Opaque.IsNonEmptyString)
            {
                if (_isClaude && _openKind == BlockKind.Thinking)
                {
                    // Step 4: for Claude the opaque value is the signature of the thinking just streamed.
                    WriteDelta(output, _openIndex, DeltaKind.Signature, json, choice.Opaque);
                    WriteBlockStop(output, _openIndex);
                    _openKind = BlockKind.None;
                }
                else
                {
                    opaque = choice.Opaque.GetString(json);
                }
            }
            if (choice.Content.IsNonEmptyString)
            {
                OnText(json, choice.Content, output);
            }
            if (choice.ToolCallCount > 0)
            {
                OnToolCalls(json, choice, opaque ?? TakePendingOpaque(), output);
                opaque = null;
            }
        }
        if (choice.FinishReason.IsString)
        {
            OnFinish(json, choice.FinishReason, opaque ?? TakePendingOpaque(), output);
            opaque = null;
        }
        // An opaque value with nothing to attach to yet waits for the tool calls or the finish chunk.
        if (opaque is not null)
        {
            _pendingOpaque = opaque;
        }
    }

    /// <summary>Step 2: reasoning goes into a thinking block, or into the text block when one is already open.</summary>
    private void OnReasoning(ReadOnlySpan<byte> json, JsonRange reasoning, IBufferWriter<byte> output)
    {
        if (_openKind == BlockKind.Text)
        {
            WriteDelta(output, _openIndex, DeltaKind.Text, json, reasoning);
            return;
        }
        if (_openKind != BlockKind.Thinking)
        {
            CloseOpenBlock(output);
            OpenBlock(output, BlockKind.Thinking);
        }
        WriteDelta(output, _openIndex, DeltaKind.Thinking, json, reasoning);
    }

    /// <summary>Step 3.</summary>
    private void OnText(ReadOnlySpan<byte> json, JsonRange text, IBufferWriter<byte> output)
    {
        if (_openKind != BlockKind.Text)
        {
            CloseOpenBlock(output);
            OpenBlock(output, BlockKind.Text);
        }
        WriteDelta(output, _openIndex, DeltaKind.Text, json, text);
    }

    /// <summary>Step 5.</summary>
    private void OnToolCalls(ReadOnlySpan<byte> json, ChatStreamChoice choice, string? opaque, IBufferWriter<byte> output)
    {
        if (_openKind is BlockKind.Thinking or BlockKind.Text || opaque is not null)
        {
            CloseOpenBlock(output);
        }
        if (opaque is not null)
        {
            WriteSyntheticThinking(output, opaque);
        }
        var calls = _chunk.ToolCalls;
        var end = choice.ToolCallStart + choice.ToolCallCount;
        for (var i = choice.ToolCallStart; i < end && i < calls.Count; i++)
        {
            var call = calls[i];
            var slot = FindToolCall(call.OpenAiIndex);
            // A new id starts a new tool_use block; some servers repeat the id on every fragment of the same call.
            if (call.Id.IsNonEmptyString && (slot is null || !call.Id.ValueEquals(json, slot.Value.Id)))
            {
                CloseOpenBlock(output);
                var blockIndex = _nextIndex++;
                WriteToolUseStart(output, blockIndex, json, call.Id, call.Name);
                _openKind = BlockKind.ToolUse;
                _openIndex = blockIndex;
                slot = new ToolCallSlot(call.OpenAiIndex, Encoding.UTF8.GetBytes(call.Id.GetString(json)), blockIndex);
                SetToolCall(slot.Value);
            }
            if (slot is null)
            {
                continue;
            }
            if (call.Arguments.IsNonEmptyString)
            {
                WriteDelta(output, slot.Value.BlockIndex, DeltaKind.InputJson, json, call.Arguments);
            }
        }
    }

    /// <summary>Step 6 (first half): close the open block; remember the stop reason until the usage is known.</summary>
    private void OnFinish(ReadOnlySpan<byte> json, JsonRange finishReason, string? opaque, IBufferWriter<byte> output)
    {
        var closed = _openKind;
        CloseOpenBlock(output);
        if (opaque is not null && closed != BlockKind.ToolUse)
        {
            WriteSyntheticThinking(output, opaque);
        }
        var mapped = ChatStopReason.Map(json, finishReason);
        // The first choice decides, unless a later one asks for tools (SPEC §6).
        _stopReason = !_finished || mapped == "tool_use" ? mapped : _stopReason;
        _finished = true;
    }

    /// <summary><c>[DONE]</c> or the end of the upstream body.</summary>
    private void End(IBufferWriter<byte> output)
    {
        if (_ended)
        {
            return;
        }
        if (_finished)
        {
            Complete(output);
            return;
        }
        _ended = true;
        CloseOpenBlock(output);
        WriteError(output, default, default, EndedEarlyMessage);
    }

    private void Complete(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            WriteMessageStart(default, default, default, output);
        }
        CloseOpenBlock(output);
        var w = SseWriter.BeginEvent(output, "message_delta"u8);
        WriteMessageDeltaJson(w);
        SseWriter.EndEvent(output, w);
        w = SseWriter.BeginEvent(output, "message_stop"u8);
        w.WriteStartObject();
        w.WriteString("type"u8, "message_stop"u8);
        w.WriteEndObject();
        SseWriter.EndEvent(output, w);
        _completed = true;
        _ended = true;
    }

    private string? TakePendingOpaque()
    {
        var pending = _pendingOpaque;
        _pendingOpaque = null;
        return pending;
    }

    private ToolCallSlot? FindToolCall(int openAiIndex)
    {
        if (_toolCalls is not null)
        {
            foreach (var slot in _toolCalls)
            {
                if (slot.OpenAiIndex == openAiIndex)
                {
                    return slot;
                }
            }
        }
        return null;
    }

    private void SetToolCall(ToolCallSlot slot)
    {
        _toolCalls ??= [];
        for (var i = 0; i < _toolCalls.Count; i++)
        {
            if (_toolCalls[i].OpenAiIndex == slot.OpenAiIndex)
            {
                _toolCalls[i] = slot;
                return;
            }
        }
        _toolCalls.Add(slot);
    }

    private void OpenBlock(IBufferWriter<byte> output, BlockKind kind)
    {
        _openKind = kind;
        _openIndex = _nextIndex++;
        var w = SseWriter.BeginEvent(output, "content_block_start"u8);
        WriteBlockStartPrefix(w, _openIndex);
        if (kind == BlockKind.Thinking)
        {
            w.WriteString("type"u8, "thinking"u8);
            w.WriteString("thinking"u8, ""u8);
        }
        else
        {
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, ""u8);
        }
        w.WriteEndObject();
        w.WriteEndObject();
        SseWriter.EndEvent(output, w);
    }

    /// <summary>A thinking block is closed with an empty signature_delta first (SPEC §7 step 3).</summary>
    private void CloseOpenBlock(IBufferWriter<byte> output)
    {
        if (_openKind == BlockKind.None)
        {
            return;
        }
        if (_openKind == BlockKind.Thinking)
        {
            WriteDelta(output, _openIndex, DeltaKind.Signature, "");
        }
        WriteBlockStop(output, _openIndex);
        _openKind = BlockKind.None;
    }

    /// <summary>A reasoning_opaque without readable reasoning: one complete placeholder thinking block (§7 steps 5, 6).</summary>
    private void WriteSyntheticThinking(IBufferWriter<byte> output, string signature)
    {
        OpenBlock(output, BlockKind.Thinking);
        WriteDelta(output, _openIndex, DeltaKind.Thinking, ThinkingFilter.Placeholder);
        WriteDelta(output, _openIndex, DeltaKind.Signature, signature);
        WriteBlockStop(output, _openIndex);
        _openKind = BlockKind.None;
    }

    private void WriteMessageStart(ReadOnlySpan<byte> json, JsonRange id, JsonRange model, IBufferWriter<byte> output)
    {
        _started = true;
        if (_usage is { } usage)
        {
            _startInputTokens = usage.InputTokens;
            _startCacheReadTokens = usage.CacheReadInputTokens;
        }
        else
        {
            _startInputTokens = _options.FallbackInputTokens ?? 0;
            _startCacheReadTokens = _options.FallbackCacheReadInputTokens;
        }
        var w = SseWriter.BeginEvent(output, "message_start"u8);
        w.WriteStartObject();
        w.WriteString("type"u8, "message_start"u8);
        w.WriteStartObject("message"u8);
        w.WritePropertyName("id"u8);
        if (id.IsString)
        {
            w.WriteRawValue(id.Raw(json), skipInputValidation: true);
        }
        else
        {
            w.WriteStringValue(""u8);
        }
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WritePropertyName("model"u8);
        if (model.IsNonEmptyString)
        {
            w.WriteRawValue(model.Raw(json), skipInputValidation: true);
        }
        else
        {
            w.WriteStringValue(_options.ModelId);
        }
        w.WriteStartArray("content"u8);
        w.WriteEndArray();
        w.WriteNull("stop_reason"u8);
        w.WriteNull("stop_sequence"u8);
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, _startInputTokens);
        w.WriteNumber("output_tokens"u8, 0);
        if (_startCacheReadTokens is { } cacheRead)
        {
            w.WriteNumber("cache_read_input_tokens"u8, cacheRead);
        }
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        SseWriter.EndEvent(output, w);
    }

    private void WriteMessageDeltaJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "message_delta"u8);
        w.WriteStartObject("delta"u8);
        if (_stopReason is null)
        {
            w.WriteNull("stop_reason"u8);
        }
        else
        {
            w.WriteString("stop_reason"u8, _stopReason);
        }
        w.WriteNull("stop_sequence"u8);
        w.WriteEndObject();
        w.WriteStartObject("usage"u8);
        if (_usage is { } usage)
        {
            usage.WriteTo(w);
        }
        else
        {
            // No usage from upstream ([DONE] or the end came first): repeat what message_start announced.
            w.WriteNumber("input_tokens"u8, _startInputTokens);
            w.WriteNumber("output_tokens"u8, 0);
            if (_startCacheReadTokens is { } cacheRead)
            {
                w.WriteNumber("cache_read_input_tokens"u8, cacheRead);
            }
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteToolUseStart(IBufferWriter<byte> output, int index, ReadOnlySpan<byte> json, JsonRange id, JsonRange name)
    {
        var w = SseWriter.BeginEvent(output, "content_block_start"u8);
        WriteBlockStartPrefix(w, index);
        w.WriteString("type"u8, "tool_use"u8);
        w.WritePropertyName("id"u8);
        w.WriteRawValue(id.Raw(json), skipInputValidation: true);
        w.WritePropertyName("name"u8);
        if (name.IsString)
        {
            w.WriteRawValue(name.Raw(json), skipInputValidation: true);
        }
        else
        {
            w.WriteStringValue(""u8);
        }
        w.WriteStartObject("input"u8);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        SseWriter.EndEvent(output, w);
    }

    /// <summary>Writes up to the opening of <c>content_block</c>; the caller fills it and closes both objects.</summary>
    private static void WriteBlockStartPrefix(Utf8JsonWriter w, int index)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_start"u8);
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("content_block"u8);
    }

    /// <summary>A content_block_delta carrying an upstream string, copied raw from the chunk.</summary>
    private static void WriteDelta(IBufferWriter<byte> output, int index, DeltaKind kind, ReadOnlySpan<byte> json, JsonRange value)
    {
        var w = BeginDelta(output, index, kind);
        w.WriteRawValue(value.Raw(json), skipInputValidation: true);
        EndDelta(output, w);
    }

    /// <summary>A content_block_delta carrying a gateway string.</summary>
    private static void WriteDelta(IBufferWriter<byte> output, int index, DeltaKind kind, string text)
    {
        var w = BeginDelta(output, index, kind);
        w.WriteStringValue(text);
        EndDelta(output, w);
    }

    private static Utf8JsonWriter BeginDelta(IBufferWriter<byte> output, int index, DeltaKind kind)
    {
        var w = SseWriter.BeginEvent(output, "content_block_delta"u8);
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_delta"u8);
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("delta"u8);
        switch (kind)
        {
            case DeltaKind.Text:
                w.WriteString("type"u8, "text_delta"u8);
                w.WritePropertyName("text"u8);
                break;
            case DeltaKind.Thinking:
                w.WriteString("type"u8, "thinking_delta"u8);
                w.WritePropertyName("thinking"u8);
                break;
            case DeltaKind.Signature:
                w.WriteString("type"u8, "signature_delta"u8);
                w.WritePropertyName("signature"u8);
                break;
            default:
                w.WriteString("type"u8, "input_json_delta"u8);
                w.WritePropertyName("partial_json"u8);
                break;
        }
        return w;
    }

    private static void EndDelta(IBufferWriter<byte> output, Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.WriteEndObject();
        SseWriter.EndEvent(output, w);
    }

    private static void WriteBlockStop(IBufferWriter<byte> output, int index)
    {
        var w = SseWriter.BeginEvent(output, "content_block_stop"u8);
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_stop"u8);
        w.WriteNumber("index"u8, index);
        w.WriteEndObject();
        SseWriter.EndEvent(output, w);
    }

    /// <summary>SPEC §7 step 7: <c>{"type":"error","error":{"type":"api_error","message"}}</c>.</summary>
    private static void WriteError(IBufferWriter<byte> output, ReadOnlySpan<byte> json, JsonRange rawMessage, string fallback)
    {
        var w = SseWriter.BeginEvent(output, "error"u8);
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, "api_error"u8);
        w.WritePropertyName("message"u8);
        if (rawMessage.IsNonEmptyString)
        {
            w.WriteRawValue(rawMessage.Raw(json), skipInputValidation: true);
        }
        else
        {
            w.WriteStringValue(fallback);
        }
        w.WriteEndObject();
        w.WriteEndObject();
        SseWriter.EndEvent(output, w);
    }

    /// <summary>A tool call seen so far: its OpenAI <c>index</c>, its id (unescaped UTF-8) and its block.</summary>
    private readonly record struct ToolCallSlot(int OpenAiIndex, byte[] Id, int BlockIndex);
}
