using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// SPEC §7: a Chat Completions stream → an Anthropic Messages stream, chunk by chunk. Each chunk is parsed into a
/// pooled <see cref="JsonDocument"/>; upstream strings are copied into the events as raw JSON. State is the open
/// block, the next block index and the tool calls by OpenAI <c>index</c>.
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
    private readonly byte[] _reasoningField;
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
        _reasoningField = Encoding.UTF8.GetBytes(options.ReasoningField);
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
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(data);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            // Not a chunk (some OpenAI-compatible servers send keep-alive text as data); nothing to translate.
            return;
        }
        using (document)
        {
            OnChunk(document.RootElement, output);
        }
    }

    public void OnEnd(IBufferWriter<byte> output) => End(output);

    public void OnError(string message, IBufferWriter<byte> output)
    {
        if (_ended)
        {
            return;
        }
        _ended = true;
        WriteError(output, default, string.IsNullOrWhiteSpace(message) ? DefaultErrorMessage : message);
    }

    private void OnChunk(JsonElement chunk, IBufferWriter<byte> output)
    {
        if (chunk.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        // OpenAI-compatible servers report mid-stream failures as a data chunk {"error": {...}}.
        if (chunk.TryGetProperty("error"u8, out var error) && error.ValueKind is JsonValueKind.Object or JsonValueKind.String)
        {
            _ended = true;
            var message = error.ValueKind == JsonValueKind.String ? error : StringProperty(error, "message"u8);
            WriteError(output, message, DefaultErrorMessage);
            return;
        }
        if (ChatUsage.TryRead(chunk, out var usage))
        {
            _usage = usage;
        }
        if (chunk.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            // Step 1: the first chunk with choices starts the message.
            if (!_started)
            {
                WriteMessageStart(chunk, output);
            }
            foreach (var choice in choices.EnumerateArray())
            {
                OnChoice(choice, output);
            }
        }
        // Step 6: complete once both the finish reason and the usage are known, whichever came last.
        if (_finished && _usage is not null)
        {
            Complete(output);
        }
    }

    private void OnChoice(JsonElement choice, IBufferWriter<byte> output)
    {
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        string? opaque = null;
        if (choice.TryGetProperty("delta"u8, out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            var reasoning = StringProperty(delta, "reasoning_text"u8, nonEmpty: true);
            if (reasoning.ValueKind == JsonValueKind.Undefined)
            {
                reasoning = StringProperty(delta, _reasoningField, nonEmpty: true);
            }
            if (reasoning.ValueKind == JsonValueKind.String)
            {
                OnReasoning(reasoning, output);
            }
            var opaqueElement = StringProperty(delta, "reasoning_opaque"u8, nonEmpty: true);
            if (opaqueElement.ValueKind == JsonValueKind.String)
            {
                if (_isClaude && _openKind == BlockKind.Thinking)
                {
                    // Step 4: for Claude the opaque value is the signature of the thinking just streamed.
                    WriteDelta(output, _openIndex, DeltaKind.Signature, opaqueElement);
                    WriteBlockStop(output, _openIndex);
                    _openKind = BlockKind.None;
                }
                else
                {
                    opaque = opaqueElement.GetString();
                }
            }
            var text = StringProperty(delta, "content"u8, nonEmpty: true);
            if (text.ValueKind == JsonValueKind.String)
            {
                OnText(text, output);
            }
            if (delta.TryGetProperty("tool_calls"u8, out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array && toolCalls.GetArrayLength() > 0)
            {
                OnToolCalls(toolCalls, opaque ?? TakePendingOpaque(), output);
                opaque = null;
            }
        }
        if (choice.TryGetProperty("finish_reason"u8, out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            OnFinish(finish, opaque ?? TakePendingOpaque(), output);
            opaque = null;
        }
        // An opaque value with nothing to attach to yet waits for the tool calls or the finish chunk.
        if (opaque is not null)
        {
            _pendingOpaque = opaque;
        }
    }

    /// <summary>Step 2: reasoning goes into a thinking block, or into the text block when one is already open.</summary>
    private void OnReasoning(JsonElement reasoning, IBufferWriter<byte> output)
    {
        if (_openKind == BlockKind.Text)
        {
            WriteDelta(output, _openIndex, DeltaKind.Text, reasoning);
            return;
        }
        if (_openKind != BlockKind.Thinking)
        {
            CloseOpenBlock(output);
            OpenBlock(output, BlockKind.Thinking);
        }
        WriteDelta(output, _openIndex, DeltaKind.Thinking, reasoning);
    }

    /// <summary>Step 3.</summary>
    private void OnText(JsonElement text, IBufferWriter<byte> output)
    {
        if (_openKind != BlockKind.Text)
        {
            CloseOpenBlock(output);
            OpenBlock(output, BlockKind.Text);
        }
        WriteDelta(output, _openIndex, DeltaKind.Text, text);
    }

    /// <summary>Step 5.</summary>
    private void OnToolCalls(JsonElement toolCalls, string? opaque, IBufferWriter<byte> output)
    {
        if (_openKind is BlockKind.Thinking or BlockKind.Text || opaque is not null)
        {
            CloseOpenBlock(output);
        }
        if (opaque is not null)
        {
            WriteSyntheticThinking(output, opaque);
        }
        var position = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            var openAiIndex = call.ValueKind == JsonValueKind.Object && call.TryGetProperty("index"u8, out var i) && i.TryGetInt32(out var n) ? n : position;
            position++;
            if (call.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var function = call.TryGetProperty("function"u8, out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            var id = StringProperty(call, "id"u8, nonEmpty: true);
            var slot = FindToolCall(openAiIndex);
            // A new id starts a new tool_use block; some servers repeat the id on every fragment of the same call.
            if (id.ValueKind == JsonValueKind.String && (slot is null || !id.ValueEquals(slot.Value.Id)))
            {
                CloseOpenBlock(output);
                var blockIndex = _nextIndex++;
                WriteToolUseStart(output, blockIndex, id, StringProperty(function, "name"u8));
                _openKind = BlockKind.ToolUse;
                _openIndex = blockIndex;
                slot = new ToolCallSlot(openAiIndex, id.GetString()!, blockIndex);
                SetToolCall(slot.Value);
            }
            if (slot is null)
            {
                continue;
            }
            var arguments = StringProperty(function, "arguments"u8, nonEmpty: true);
            if (arguments.ValueKind == JsonValueKind.String)
            {
                WriteDelta(output, slot.Value.BlockIndex, DeltaKind.InputJson, arguments);
            }
        }
    }

    /// <summary>Step 6 (first half): close the open block; remember the stop reason until the usage is known.</summary>
    private void OnFinish(JsonElement finishReason, string? opaque, IBufferWriter<byte> output)
    {
        var closed = _openKind;
        CloseOpenBlock(output);
        if (opaque is not null && closed != BlockKind.ToolUse)
        {
            WriteSyntheticThinking(output, opaque);
        }
        var mapped = ChatStopReason.Map(finishReason);
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
        WriteError(output, default, EndedEarlyMessage);
    }

    private void Complete(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            WriteMessageStart(default, output);
        }
        CloseOpenBlock(output);
        SseWriter.WriteEvent(output, "message_delta"u8, this, static (w, self) => self.WriteMessageDeltaJson(w));
        SseWriter.WriteEvent(output, "message_stop"u8, 0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_stop"u8);
            w.WriteEndObject();
        });
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
        SseWriter.WriteEvent(output, "content_block_start"u8, (index: _openIndex, kind), static (w, s) =>
        {
            WriteBlockStartPrefix(w, s.index);
            if (s.kind == BlockKind.Thinking)
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
        });
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
            WriteDelta(output, _openIndex, DeltaKind.Signature, default, "");
        }
        WriteBlockStop(output, _openIndex);
        _openKind = BlockKind.None;
    }

    /// <summary>A reasoning_opaque without readable reasoning: one complete placeholder thinking block (§7 steps 5, 6).</summary>
    private void WriteSyntheticThinking(IBufferWriter<byte> output, string signature)
    {
        OpenBlock(output, BlockKind.Thinking);
        WriteDelta(output, _openIndex, DeltaKind.Thinking, default, ThinkingFilter.Placeholder);
        WriteDelta(output, _openIndex, DeltaKind.Signature, default, signature);
        WriteBlockStop(output, _openIndex);
        _openKind = BlockKind.None;
    }

    private void WriteMessageStart(JsonElement chunk, IBufferWriter<byte> output)
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
        SseWriter.WriteEvent(output, "message_start"u8, (self: this, chunk), static (w, s) => s.self.WriteMessageStartJson(w, s.chunk));
    }

    private void WriteMessageStartJson(Utf8JsonWriter w, JsonElement chunk)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "message_start"u8);
        w.WriteStartObject("message"u8);
        w.WritePropertyName("id"u8);
        var id = StringProperty(chunk, "id"u8);
        if (id.ValueKind == JsonValueKind.String)
        {
            RawJson.Write(id, w);
        }
        else
        {
            w.WriteStringValue(""u8);
        }
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WritePropertyName("model"u8);
        var model = StringProperty(chunk, "model"u8, nonEmpty: true);
        if (model.ValueKind == JsonValueKind.String)
        {
            RawJson.Write(model, w);
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

    private static void WriteToolUseStart(IBufferWriter<byte> output, int index, JsonElement id, JsonElement name)
    {
        SseWriter.WriteEvent(output, "content_block_start"u8, (index, id, name), static (w, s) =>
        {
            WriteBlockStartPrefix(w, s.index);
            w.WriteString("type"u8, "tool_use"u8);
            w.WritePropertyName("id"u8);
            RawJson.Write(s.id, w);
            w.WritePropertyName("name"u8);
            if (s.name.ValueKind == JsonValueKind.String)
            {
                RawJson.Write(s.name, w);
            }
            else
            {
                w.WriteStringValue(""u8);
            }
            w.WriteStartObject("input"u8);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>Writes up to the opening of <c>content_block</c>; the caller fills it and closes both objects.</summary>
    private static void WriteBlockStartPrefix(Utf8JsonWriter w, int index)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_start"u8);
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("content_block"u8);
    }

    /// <summary>A content_block_delta carrying either an upstream string (raw) or a gateway string.</summary>
    private static void WriteDelta(IBufferWriter<byte> output, int index, DeltaKind kind, JsonElement raw, string? text = null)
    {
        SseWriter.WriteEvent(output, "content_block_delta"u8, (index, kind, raw, text), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "content_block_delta"u8);
            w.WriteNumber("index"u8, s.index);
            w.WriteStartObject("delta"u8);
            switch (s.kind)
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
            if (s.text is not null)
            {
                w.WriteStringValue(s.text);
            }
            else
            {
                RawJson.Write(s.raw, w);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static void WriteBlockStop(IBufferWriter<byte> output, int index)
    {
        SseWriter.WriteEvent(output, "content_block_stop"u8, index, static (w, i) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "content_block_stop"u8);
            w.WriteNumber("index"u8, i);
            w.WriteEndObject();
        });
    }

    /// <summary>SPEC §7 step 7: <c>{"type":"error","error":{"type":"api_error","message"}}</c>.</summary>
    private static void WriteError(IBufferWriter<byte> output, JsonElement rawMessage, string fallback)
    {
        SseWriter.WriteEvent(output, "error"u8, (rawMessage, fallback), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "error"u8);
            w.WriteStartObject("error"u8);
            w.WriteString("type"u8, "api_error"u8);
            w.WritePropertyName("message"u8);
            if (s.rawMessage.ValueKind == JsonValueKind.String && !s.rawMessage.ValueEquals(""u8))
            {
                RawJson.Write(s.rawMessage, w);
            }
            else
            {
                w.WriteStringValue(s.fallback);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static JsonElement StringProperty(JsonElement obj, ReadOnlySpan<byte> name, bool nonEmpty = false)
        => obj.ValueKind == JsonValueKind.Object
           && obj.TryGetProperty(name, out var value)
           && value.ValueKind == JsonValueKind.String
           && !(nonEmpty && value.ValueEquals(""u8))
            ? value
            : default;

    private readonly record struct ToolCallSlot(int OpenAiIndex, string Id, int BlockIndex);
}
