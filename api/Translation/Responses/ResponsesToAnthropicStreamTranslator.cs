using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// OpenAI Responses stream → Anthropic Messages stream (SPEC §10 "Stream"). At most one Anthropic content block is
/// open at a time; blocks are numbered from 0 in the order they open. Text blocks are keyed by
/// (<c>output_index</c>, <c>content_index</c>); a reasoning item is one thinking block (its summary parts separated by a
/// blank line) that stays open until the item's <c>output_item.done</c> brings the signature; function calls are keyed
/// by <c>output_index</c>. Deltas are copied from the upstream bytes as raw JSON strings, never materialised.
/// </summary>
public sealed class ResponsesToAnthropicStreamTranslator : IStreamTranslator
{
    /// <summary>Longest run of line breaks/tabs tolerated in function-call arguments (§10).</summary>
    public const int MaxConsecutiveArgumentWhitespace = 20;

    public const string EndedWithoutCompletionMessage = "Responses stream ended without completion";
    public const string DefaultErrorMessage = "An unexpected error occurred during streaming.";
    public const string FailedResponseMessage = "The upstream response failed.";
    public const string RunawayWhitespaceMessage =
        "Function call arguments contained more than 20 consecutive whitespace characters; the response was aborted.";

    private static readonly JsonWriterOptions s_jsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ResponsesStreamOptions _options;
    private readonly ArrayBufferWriter<byte> _scratch = new(512);
    private readonly Utf8JsonWriter _json;

    private bool _started;
    private bool _finished;
    private bool _sawToolCall;
    private int _nextIndex;
    private BlockKind _openKind;
    private int _openIndex = -1;
    private int _openOutputIndex = -1;
    private int _openPart = -1;
    private bool _openHasDelta;
    private bool _partHasDelta;
    private int _whitespaceRun;
    private int _lastBlockOutputIndex = -1;
    private int _finishedToolOutputIndex = -1;
    private TokenUsage _usage;

    private enum BlockKind
    {
        None,
        Text,
        Thinking,
        ToolUse,
    }

    public ResponsesToAnthropicStreamTranslator(ResponsesStreamOptions options)
    {
        _options = options;
        _json = new Utf8JsonWriter(_scratch, s_jsonOptions);
    }

    public TokenUsage Usage => _usage;

    public bool Completed { get; private set; }

    public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (_finished)
        {
            return;
        }
        if (!ResponsesStreamEvent.TryParse(data, out var e))
        {
            if (IsKeepAlive(eventType))
            {
                WritePing(output);
            }
            return;
        }
        var type = e.Type.IsEmpty ? eventType : e.Type;

        // The three delta kinds carry almost all events of a stream: test them first.
        if (type.SequenceEqual("response.output_text.delta"u8) || type.SequenceEqual("response.refusal.delta"u8))
        {
            OnTextDelta(output, e.OutputIndex, e.ContentIndex, e.Delta);
        }
        else if (type.SequenceEqual("response.reasoning_summary_text.delta"u8))
        {
            OnSummaryDelta(output, e.OutputIndex, e.SummaryIndex, e.Delta);
        }
        else if (type.SequenceEqual("response.function_call_arguments.delta"u8))
        {
            OnArgumentsDelta(output, e.OutputIndex, e.Delta);
        }
        else if (type.SequenceEqual("response.output_text.done"u8))
        {
            OnTextDone(output, e.OutputIndex, e.ContentIndex, e.Text);
        }
        else if (type.SequenceEqual("response.refusal.done"u8))
        {
            OnTextDone(output, e.OutputIndex, e.ContentIndex, e.Refusal);
        }
        else if (type.SequenceEqual("response.reasoning_summary_text.done"u8))
        {
            OnSummaryDone(output, e.OutputIndex, e.SummaryIndex, e.Text);
        }
        else if (type.SequenceEqual("response.function_call_arguments.done"u8))
        {
            OnArgumentsDone(output, e.OutputIndex, e.Arguments);
        }
        else if (type.SequenceEqual("response.output_item.added"u8))
        {
            WithObject(e.Item, output, e.OutputIndex, static (self, output, item, outputIndex) => self.OnItemAdded(output, outputIndex, item));
        }
        else if (type.SequenceEqual("response.output_item.done"u8))
        {
            WithObject(e.Item, output, e.OutputIndex, static (self, output, item, outputIndex) => self.OnItemDone(output, outputIndex, item));
        }
        else if (type.SequenceEqual("response.created"u8) || type.SequenceEqual("response.in_progress"u8))
        {
            if (!_started)
            {
                WithObject(e.Response, output, 0, static (self, output, response, _) => self.WriteMessageStart(output, response));
            }
        }
        else if (type.SequenceEqual("response.completed"u8) || type.SequenceEqual("response.incomplete"u8))
        {
            WithObject(e.Response, output, 0, static (self, output, response, _) => self.OnFinal(output, response));
        }
        else if (type.SequenceEqual("response.failed"u8))
        {
            WithObject(e.Response, output, 0, static (self, output, response, _) => self.OnFailed(output, response));
        }
        else if (type.SequenceEqual("error"u8))
        {
            OnUpstreamError(output, e.Message, e.Error);
        }
        else if (IsKeepAlive(type))
        {
            WritePing(output);
        }
    }

    public void OnEnd(IBufferWriter<byte> output)
    {
        if (!_finished)
        {
            WriteError(output, EndedWithoutCompletionMessage);
        }
    }

    public void OnError(string message, IBufferWriter<byte> output)
    {
        if (!_finished)
        {
            WriteError(output, string.IsNullOrEmpty(message) ? DefaultErrorMessage : message);
        }
    }

    private static bool IsKeepAlive(ReadOnlySpan<byte> type)
        => type.SequenceEqual("keepalive"u8) || type.SequenceEqual("response.keepalive"u8) || type.SequenceEqual("ping"u8);

    /// <summary>Parses a nested object of the event (pooled) and hands its root to <paramref name="handler"/>.</summary>
    private void WithObject(
        ReadOnlySpan<byte> json,
        IBufferWriter<byte> output,
        int outputIndex,
        Action<ResponsesToAnthropicStreamTranslator, IBufferWriter<byte>, JsonElement, int> handler)
    {
        if (json.IsEmpty)
        {
            handler(this, output, default, outputIndex);
            return;
        }
        using var document = PooledJsonDocument.Parse(json);
        handler(this, output, document.Root, outputIndex);
    }

    // ---- text ------------------------------------------------------------------------------------------------

    private void OnTextDelta(IBufferWriter<byte> output, int outputIndex, int contentIndex, ReadOnlySpan<byte> delta)
    {
        if (IsEmptyString(delta))
        {
            return;
        }
        EnsureTextBlock(output, outputIndex, contentIndex);
        WriteRawDelta(output, "text_delta"u8, "text"u8, delta);
        _openHasDelta = true;
    }

    /// <summary>Emits the full text when no delta was seen for this part, then closes its block (§10).</summary>
    private void OnTextDone(IBufferWriter<byte> output, int outputIndex, int contentIndex, ReadOnlySpan<byte> text)
    {
        var open = IsOpen(BlockKind.Text, outputIndex, contentIndex);
        if (!open && IsEmptyString(text))
        {
            return;
        }
        if (!(open && _openHasDelta) && !IsEmptyString(text))
        {
            EnsureTextBlock(output, outputIndex, contentIndex);
            WriteRawDelta(output, "text_delta"u8, "text"u8, text);
        }
        CloseBlock(output);
    }

    private void EnsureTextBlock(IBufferWriter<byte> output, int outputIndex, int contentIndex)
    {
        if (IsOpen(BlockKind.Text, outputIndex, contentIndex))
        {
            return;
        }
        OpenBlock(output, BlockKind.Text, outputIndex, contentIndex);
        var w = BeginBlockStart();
        w.WriteString("type"u8, "text"u8);
        w.WriteString("text"u8, ""u8);
        EndBlockStart(output);
    }

    // ---- reasoning -------------------------------------------------------------------------------------------

    private void OnSummaryDelta(IBufferWriter<byte> output, int outputIndex, int summaryIndex, ReadOnlySpan<byte> delta)
    {
        if (IsEmptyString(delta))
        {
            return;
        }
        EnsureThinkingBlock(output, outputIndex);
        StartSummaryPart(output, summaryIndex);
        WriteRawDelta(output, "thinking_delta"u8, "thinking"u8, delta);
        _openHasDelta = true;
        _partHasDelta = true;
    }

    /// <summary>
    /// Emits the part's text when no delta was seen for it. Unlike text, the block stays open: the signature only
    /// arrives with the item's <c>output_item.done</c> and must land in the same block.
    /// </summary>
    private void OnSummaryDone(IBufferWriter<byte> output, int outputIndex, int summaryIndex, ReadOnlySpan<byte> text)
    {
        if (IsOpen(BlockKind.Thinking, outputIndex) && summaryIndex == _openPart && _partHasDelta)
        {
            return;
        }
        if (IsEmptyString(text))
        {
            return;
        }
        EnsureThinkingBlock(output, outputIndex);
        StartSummaryPart(output, summaryIndex);
        WriteRawDelta(output, "thinking_delta"u8, "thinking"u8, text);
        _openHasDelta = true;
        _partHasDelta = true;
    }

    /// <summary>A new summary part of the open thinking block starts after a blank line.</summary>
    private void StartSummaryPart(IBufferWriter<byte> output, int summaryIndex)
    {
        if (summaryIndex == _openPart)
        {
            return;
        }
        if (_openHasDelta)
        {
            WriteRawDelta(output, "thinking_delta"u8, "thinking"u8, "\"\\n\\n\""u8);
        }
        _openPart = summaryIndex;
        _partHasDelta = false;
    }

    private void EnsureThinkingBlock(IBufferWriter<byte> output, int outputIndex)
    {
        if (IsOpen(BlockKind.Thinking, outputIndex))
        {
            return;
        }
        OpenBlock(output, BlockKind.Thinking, outputIndex, part: -1);
        var w = BeginBlockStart();
        w.WriteString("type"u8, "thinking"u8);
        w.WriteString("thinking"u8, ""u8);
        EndBlockStart(output);
    }

    /// <summary>
    /// Reasoning: <c>signature_delta</c> <c>&lt;encrypted_content&gt;@&lt;id&gt;</c> closes the item's thinking block,
    /// opened here (with the item's summary, or <c>Thinking...</c>) when no summary streamed (§10). Compaction: the
    /// same with <c>Thinking...</c> and <c>cm1#&lt;encrypted_content&gt;@&lt;id&gt;</c>.
    /// </summary>
    private void WriteSignedThinking(IBufferWriter<byte> output, int outputIndex, JsonElement item, bool compaction)
    {
        if (compaction || !IsOpen(BlockKind.Thinking, outputIndex))
        {
            EnsureThinkingBlock(output, outputIndex);
            if (compaction || !ResponsesItems.HasSummary(item))
            {
                WritePlaceholderThinking(output);
            }
            else
            {
                var w = BeginDelta("thinking_delta"u8);
                w.WritePropertyName("thinking"u8);
                ResponsesItems.WriteThinkingValue(w, item);
                EndDelta(output);
            }
        }
        else if (!_openHasDelta)
        {
            WritePlaceholderThinking(output);
        }
        var signature = BeginDelta("signature_delta"u8);
        signature.WritePropertyName("signature"u8);
        ResponsesItems.WriteSignatureValue(signature, item, compaction);
        EndDelta(output);
        CloseBlock(output);
    }

    private void WritePlaceholderThinking(IBufferWriter<byte> output)
    {
        var w = BeginDelta("thinking_delta"u8);
        w.WriteString("thinking"u8, "Thinking..."u8);
        EndDelta(output);
    }

    // ---- output items ----------------------------------------------------------------------------------------

    private void OnItemAdded(IBufferWriter<byte> output, int outputIndex, JsonElement item)
    {
        if (!ResponsesItems.IsType(item, "function_call"u8))
        {
            return;
        }
        // §10: a function call opens its tool_use block at once, with any initial arguments.
        StartToolUse(output, outputIndex, ResponsesItems.CallId(item), ResponsesItems.FunctionName(item));
        var arguments = ResponsesItems.Get(item, "arguments"u8);
        if (ResponsesItems.IsNonEmptyString(arguments))
        {
            AppendArguments(output, JsonMarshal.GetRawUtf8Value(arguments));
        }
    }

    private void OnItemDone(IBufferWriter<byte> output, int outputIndex, JsonElement item)
    {
        if (ResponsesItems.IsType(item, "reasoning"u8))
        {
            WriteSignedThinking(output, outputIndex, item, compaction: false);
        }
        else if (ResponsesItems.IsType(item, "compaction"u8))
        {
            if (ResponsesItems.IsNonEmptyString(ResponsesItems.Get(item, "encrypted_content"u8)))
            {
                WriteSignedThinking(output, outputIndex, item, compaction: true);
            }
        }
        else if (ResponsesItems.IsType(item, "function_call"u8))
        {
            OnFunctionCallDone(output, outputIndex, item);
        }
        else if (ResponsesItems.IsType(item, "message"u8))
        {
            OnMessageDone(output, outputIndex, item);
        }
        else if (ResponsesItems.IsType(item, "tool_search_call"u8))
        {
            // §12: the bridge call surfaces as a call of the client's bridge tool.
            StartToolUse(output, outputIndex, ResponsesItems.CallId(item), default);
            WriteInputDelta(output, item, static (w, item) => ResponsesItems.WriteToolSearchInput(w, item));
            CloseBlock(output);
        }
        else if (ResponsesItems.IsType(item, "web_search_call"u8))
        {
            // §3.6: the Responses web search call surfaces as Anthropic's server tool.
            OpenBlock(output, BlockKind.ToolUse, outputIndex, part: -1);
            var w = BeginBlockStart();
            w.WriteString("type"u8, "server_tool_use"u8);
            ResponsesItems.WriteStringOrEmpty(w, "id", ResponsesItems.Get(item, "id"u8));
            w.WriteString("name"u8, "web_search"u8);
            w.WriteStartObject("input"u8);
            w.WriteEndObject();
            EndBlockStart(output);
            WriteInputDelta(output, item, static (w, item) => ResponsesItems.WriteWebSearchInput(w, item));
            CloseBlock(output);
        }
    }

    /// <summary>A message item whose text never streamed (no delta, no done event) still reaches the client.</summary>
    private void OnMessageDone(IBufferWriter<byte> output, int outputIndex, JsonElement item)
    {
        if (_openKind == BlockKind.Text && _openOutputIndex == outputIndex)
        {
            CloseBlock(output);
            return;
        }
        if (_lastBlockOutputIndex == outputIndex || !ResponsesItems.HasMessageText(item))
        {
            return;
        }
        EnsureTextBlock(output, outputIndex, contentIndex: 0);
        var w = BeginDelta("text_delta"u8);
        w.WritePropertyName("text"u8);
        ResponsesItems.WriteMessageTextValue(w, item);
        EndDelta(output);
        CloseBlock(output);
    }

    // ---- function calls --------------------------------------------------------------------------------------

    private void StartToolUse(IBufferWriter<byte> output, int outputIndex, JsonElement id, JsonElement name)
    {
        OpenBlock(output, BlockKind.ToolUse, outputIndex, part: -1);
        _sawToolCall = true;
        _whitespaceRun = 0;
        var w = BeginBlockStart();
        w.WriteString("type"u8, "tool_use"u8);
        ResponsesItems.WriteStringOrEmpty(w, "id", id);
        if (name.ValueKind == JsonValueKind.Undefined)
        {
            w.WriteString("name"u8, _options.ToolSearchToolName ?? ResponsesItems.DefaultToolSearchToolName);
        }
        else
        {
            ResponsesItems.WriteStringOrEmpty(w, "name", name);
        }
        w.WriteStartObject("input"u8);
        w.WriteEndObject();
        EndBlockStart(output);
    }

    private void OnArgumentsDelta(IBufferWriter<byte> output, int outputIndex, ReadOnlySpan<byte> delta)
    {
        if (IsEmptyString(delta) || !IsOpen(BlockKind.ToolUse, outputIndex))
        {
            return;
        }
        AppendArguments(output, delta);
    }

    /// <summary>Remaining arguments when no delta was seen, then the block closes (§10).</summary>
    private void OnArgumentsDone(IBufferWriter<byte> output, int outputIndex, ReadOnlySpan<byte> arguments)
    {
        if (!IsOpen(BlockKind.ToolUse, outputIndex))
        {
            return;
        }
        if (!_openHasDelta && !IsEmptyString(arguments))
        {
            AppendArguments(output, arguments);
            if (_finished)
            {
                return;
            }
        }
        _finishedToolOutputIndex = outputIndex;
        CloseBlock(output);
    }

    private void OnFunctionCallDone(IBufferWriter<byte> output, int outputIndex, JsonElement item)
    {
        if (!IsOpen(BlockKind.ToolUse, outputIndex))
        {
            if (_finishedToolOutputIndex == outputIndex)
            {
                return;
            }
            // No output_item.added was seen for this call: emit it whole.
            StartToolUse(output, outputIndex, ResponsesItems.CallId(item), ResponsesItems.FunctionName(item));
        }
        var arguments = ResponsesItems.Get(item, "arguments"u8);
        OnArgumentsDone(output, outputIndex, ResponsesItems.IsNonEmptyString(arguments)
            ? JsonMarshal.GetRawUtf8Value(arguments)
            : default);
    }

    /// <summary><c>input_json_delta</c> with a guard against runaway whitespace (§10).</summary>
    private void AppendArguments(IBufferWriter<byte> output, ReadOnlySpan<byte> rawJsonString)
    {
        _whitespaceRun = CountWhitespaceRun(rawJsonString, _whitespaceRun);
        if (_whitespaceRun > MaxConsecutiveArgumentWhitespace)
        {
            WriteError(output, RunawayWhitespaceMessage);
            return;
        }
        WriteRawDelta(output, "input_json_delta"u8, "partial_json"u8, rawJsonString);
        _openHasDelta = true;
    }

    /// <summary>
    /// Continues the run of consecutive whitespace over the (still JSON-escaped) argument text. Line breaks and tabs
    /// count; spaces neither count nor break a run, because long space indentation inside string values is normal
    /// code while JSON strings cannot hold raw line breaks or tabs, so a long run of those can only be the upstream
    /// emitting whitespace until it hits max_output_tokens. Any other character ends the run.
    /// </summary>
    internal static int CountWhitespaceRun(ReadOnlySpan<byte> rawJsonString, int run)
    {
        var text = rawJsonString.Length >= 2 && rawJsonString[0] == (byte)'"' ? rawJsonString[1..^1] : rawJsonString;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)' ')
            {
                continue;
            }
            if (b != (byte)'\\' || i + 1 >= text.Length)
            {
                run = 0;
                continue;
            }
            var escaped = text[++i];
            if (escaped is (byte)'n' or (byte)'r' or (byte)'t')
            {
                run++;
                continue;
            }
            if (escaped == (byte)'u' && i + 4 < text.Length)
            {
                var code = text.Slice(i + 1, 4);
                i += 4;
                if (code.SequenceEqual("000a"u8) || code.SequenceEqual("000A"u8) || code.SequenceEqual("000d"u8)
                    || code.SequenceEqual("000D"u8) || code.SequenceEqual("0009"u8))
                {
                    run++;
                    continue;
                }
                if (code.SequenceEqual("0020"u8))
                {
                    continue;
                }
            }
            run = 0;
        }
        return run;
    }

    // ---- completion and errors -------------------------------------------------------------------------------

    /// <summary><c>response.completed</c> / <c>response.incomplete</c>: close, <c>message_delta</c>, <c>message_stop</c> (§10).</summary>
    private void OnFinal(IBufferWriter<byte> output, JsonElement response)
    {
        if (!_started)
        {
            WriteMessageStart(output, response);
        }
        CloseBlock(output);
        if (!ResponsesUsage.TryRead(response, out var usage))
        {
            usage = new ResponsesUsage(_usage, false, false);
        }
        _usage = usage.Tokens;

        var w = Begin();
        w.WriteStartObject();
        w.WriteString("type"u8, "message_delta"u8);
        w.WriteStartObject("delta"u8);
        var stopReason = ResponsesStopReason.From(response, _sawToolCall);
        if (stopReason is null)
        {
            w.WriteNull("stop_reason"u8);
        }
        else
        {
            w.WriteString("stop_reason"u8, stopReason);
        }
        w.WriteNull("stop_sequence"u8);
        w.WriteEndObject();
        w.WritePropertyName("usage"u8);
        usage.WriteValue(w);
        w.WriteEndObject();
        Emit(output, "message_delta"u8);

        w = Begin();
        w.WriteStartObject();
        w.WriteString("type"u8, "message_stop"u8);
        w.WriteEndObject();
        Emit(output, "message_stop"u8);
        _finished = true;
        Completed = true;
    }

    private void OnFailed(IBufferWriter<byte> output, JsonElement response)
    {
        var message = ResponsesItems.Get(ResponsesItems.Get(response, "error"u8), "message"u8);
        if (ResponsesItems.IsNonEmptyString(message))
        {
            WriteError(output, JsonMarshal.GetRawUtf8Value(message));
        }
        else
        {
            WriteError(output, FailedResponseMessage);
        }
    }

    /// <summary>An <c>error</c> event: its <c>message</c>, or that of its nested <c>error</c> object.</summary>
    private void OnUpstreamError(IBufferWriter<byte> output, ReadOnlySpan<byte> message, ReadOnlySpan<byte> error)
    {
        if (!IsEmptyString(message))
        {
            WriteError(output, message);
            return;
        }
        if (!error.IsEmpty)
        {
            using var document = PooledJsonDocument.Parse(error);
            var nested = ResponsesItems.Get(document.Root, "message"u8);
            if (ResponsesItems.IsNonEmptyString(nested))
            {
                WriteError(output, JsonMarshal.GetRawUtf8Value(nested));
                return;
            }
        }
        WriteError(output, DefaultErrorMessage);
    }

    private void WriteError(IBufferWriter<byte> output, string message)
    {
        var w = BeginError();
        w.WriteString("message"u8, message);
        EndError(output);
    }

    private void WriteError(IBufferWriter<byte> output, ReadOnlySpan<byte> rawMessage)
    {
        var w = BeginError();
        w.WritePropertyName("message"u8);
        w.WriteRawValue(rawMessage, skipInputValidation: true);
        EndError(output);
    }

    private Utf8JsonWriter BeginError()
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, "api_error"u8);
        return w;
    }

    /// <summary>After an error event nothing else is written (§10, §17: the stream ends).</summary>
    private void EndError(IBufferWriter<byte> output)
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        Emit(output, "error"u8);
        _finished = true;
    }

    private void WritePing(IBufferWriter<byte> output)
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("type"u8, "ping"u8);
        w.WriteEndObject();
        Emit(output, "ping"u8);
    }

    // ---- message_start ---------------------------------------------------------------------------------------

    /// <summary>
    /// <c>message_start</c> with the upstream usage when <c>response.created</c> has one, else the caller's §7 step 1
    /// fallback, else zeros.
    /// </summary>
    private void WriteMessageStart(IBufferWriter<byte> output, JsonElement response)
    {
        _started = true;
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("type"u8, "message_start"u8);
        w.WriteStartObject("message"u8);
        ResponsesItems.WriteStringOrEmpty(w, "id", ResponsesItems.Get(response, "id"u8));
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        ResponsesItems.WriteStringOrEmpty(w, "model", ResponsesItems.Get(response, "model"u8));
        w.WriteStartArray("content"u8);
        w.WriteEndArray();
        w.WriteNull("stop_reason"u8);
        w.WriteNull("stop_sequence"u8);
        w.WritePropertyName("usage"u8);
        if (ResponsesUsage.TryRead(response, out var usage))
        {
            _usage = usage.Tokens;
            usage.WriteValue(w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteNumber("input_tokens"u8, _options.MessageStartInputTokens ?? 0);
            w.WriteNumber("output_tokens"u8, 0);
            if (_options.MessageStartCacheReadInputTokens is { } cacheRead)
            {
                w.WriteNumber("cache_read_input_tokens"u8, cacheRead);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        Emit(output, "message_start"u8);
    }

    // ---- block bookkeeping and writing -----------------------------------------------------------------------

    private bool IsOpen(BlockKind kind, int outputIndex) => _openKind == kind && _openOutputIndex == outputIndex;

    private bool IsOpen(BlockKind kind, int outputIndex, int part) => IsOpen(kind, outputIndex) && _openPart == part;

    /// <summary>Closes the open block (Anthropic blocks never interleave) and makes the next index the open one.</summary>
    private void OpenBlock(IBufferWriter<byte> output, BlockKind kind, int outputIndex, int part)
    {
        if (!_started)
        {
            WriteMessageStart(output, default);
        }
        CloseBlock(output);
        _openKind = kind;
        _openIndex = _nextIndex++;
        _openOutputIndex = outputIndex;
        _openPart = part;
        _openHasDelta = false;
        _partHasDelta = false;
        _lastBlockOutputIndex = outputIndex;
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (_openKind == BlockKind.None)
        {
            return;
        }
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_stop"u8);
        w.WriteNumber("index"u8, _openIndex);
        w.WriteEndObject();
        Emit(output, "content_block_stop"u8);
        _openKind = BlockKind.None;
        _openOutputIndex = -1;
        _openPart = -1;
    }

    private Utf8JsonWriter BeginBlockStart()
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_start"u8);
        w.WriteNumber("index"u8, _openIndex);
        w.WriteStartObject("content_block"u8);
        return w;
    }

    private void EndBlockStart(IBufferWriter<byte> output)
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        Emit(output, "content_block_start"u8);
    }

    private Utf8JsonWriter BeginDelta(ReadOnlySpan<byte> deltaType)
    {
        var w = Begin();
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_delta"u8);
        w.WriteNumber("index"u8, _openIndex);
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, deltaType);
        return w;
    }

    private void EndDelta(IBufferWriter<byte> output)
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        Emit(output, "content_block_delta"u8);
    }

    /// <summary>A delta whose string value is copied from the upstream event as a raw JSON token.</summary>
    private void WriteRawDelta(IBufferWriter<byte> output, ReadOnlySpan<byte> deltaType, ReadOnlySpan<byte> field, ReadOnlySpan<byte> rawJsonString)
    {
        var w = BeginDelta(deltaType);
        w.WritePropertyName(field);
        w.WriteRawValue(rawJsonString, skipInputValidation: true);
        EndDelta(output);
    }

    /// <summary>One <c>input_json_delta</c> carrying a whole input object built by <paramref name="writeInput"/>.</summary>
    private void WriteInputDelta(IBufferWriter<byte> output, JsonElement item, Action<Utf8JsonWriter, JsonElement> writeInput)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var inputWriter = new Utf8JsonWriter(buffer, s_jsonOptions))
        {
            writeInput(inputWriter, item);
        }
        var w = BeginDelta("input_json_delta"u8);
        w.WriteString("partial_json"u8, buffer.WrittenSpan);
        EndDelta(output);
    }

    private Utf8JsonWriter Begin()
    {
        _scratch.ResetWrittenCount();
        _json.Reset(_scratch);
        return _json;
    }

    private void Emit(IBufferWriter<byte> output, ReadOnlySpan<byte> eventType)
    {
        _json.Flush();
        SseWriter.WriteRawEvent(output, eventType, _scratch.WrittenSpan);
    }

    /// <summary>True for a missing field or the raw token <c>""</c>.</summary>
    private static bool IsEmptyString(ReadOnlySpan<byte> rawJsonString) => rawJsonString.Length <= 2;
}
