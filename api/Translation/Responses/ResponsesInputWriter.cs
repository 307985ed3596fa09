using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// Writes Anthropic <c>messages</c> as the Responses <c>input</c> array (SPEC §9 "input items"), one pass, in message
/// order. Consecutive user content blocks share one <c>message</c> item, as do consecutive assistant texts; every
/// other item (tool call, tool output, reasoning, compaction) ends the current message item.
/// </summary>
internal sealed class ResponsesInputWriter
{
    /// <summary>Thinking text that stands for "no summary" (SPEC §9, §10).</summary>
    public const string ThinkingPlaceholder = "Thinking...";

    /// <summary>Signature prefix marking a Responses compaction item carried in a thinking block (SPEC §9, §10).</summary>
    public const string CompactionPrefix = "cm1#";

    private static readonly JsonWriterOptions s_argumentsOptions = new()
    {
        // Arguments are replayed to the model as text: keep them as the model wrote them, not \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Utf8JsonWriter _writer;
    private readonly ToolSearchBridge? _bridge;
    private ArrayBufferWriter<byte>? _argumentsBuffer;
    private Utf8JsonWriter? _argumentsWriter;
    private HashSet<string>? _bridgeCallIds;
    private MessageKind _open;

    private enum MessageKind
    {
        None,
        User,
        Assistant,
    }

    public ResponsesInputWriter(Utf8JsonWriter writer, ToolSearchBridge? bridge)
    {
        _writer = writer;
        _bridge = bridge;
    }

    /// <summary>Writes the <c>input</c> property.</summary>
    public void Write(JsonArray? messages)
    {
        _writer.WriteStartArray("input");
        if (messages is not null)
        {
            if (_bridge is not null)
            {
                CollectBridgeCallIds(messages);
            }
            // §11.2: whenever the input holds a compaction item, everything before the latest one is dropped.
            var (startMessage, startBlock) = FindLatestCompaction(messages);
            for (var i = Math.Max(startMessage, 0); i < messages.Count; i++)
            {
                if (messages[i] is not JsonObject message)
                {
                    continue;
                }
                var firstBlock = i == startMessage ? startBlock : 0;
                if (JsonNodes.IsString(message["role"], "user"))
                {
                    WriteUserMessage(message["content"], firstBlock);
                }
                else if (JsonNodes.IsString(message["role"], "assistant"))
                {
                    WriteAssistantMessage(message["content"], firstBlock);
                }
            }
        }
        _writer.WriteEndArray();
    }

    /// <summary>Position of the last thinking block carrying a compaction item, or (-1, 0).</summary>
    private static (int Message, int Block) FindLatestCompaction(JsonArray messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i] is not JsonObject message || !JsonNodes.IsString(message["role"], "assistant")
                || message["content"] is not JsonArray blocks)
            {
                continue;
            }
            for (var j = blocks.Count - 1; j >= 0; j--)
            {
                if (blocks[j] is JsonObject block && JsonNodes.IsString(block["type"], "thinking")
                    && TryParseCompaction(JsonNodes.GetString(block["signature"]), out _, out _))
                {
                    return (i, j);
                }
            }
        }
        return (-1, 0);
    }

    private void WriteUserMessage(JsonNode? content, int firstBlock)
    {
        if (content is JsonValue && content.GetValueKind() == JsonValueKind.String)
        {
            OpenMessage(MessageKind.User, phase: null);
            _writer.WriteStartObject();
            _writer.WriteString("type", "input_text");
            _writer.WritePropertyName("text");
            content.WriteTo(_writer);
            _writer.WriteEndObject();
            CloseMessage();
            return;
        }
        if (content is not JsonArray blocks)
        {
            return;
        }
        for (var i = firstBlock; i < blocks.Count; i++)
        {
            if (blocks[i] is not JsonObject block)
            {
                continue;
            }
            if (JsonNodes.IsString(block["type"], "tool_result"))
            {
                CloseMessage();
                WriteToolResult(block);
                continue;
            }
            if (IsInputContent(block))
            {
                OpenMessage(MessageKind.User, phase: null);
                WriteInputContent(block);
            }
        }
        CloseMessage();
    }

    private void WriteAssistantMessage(JsonNode? content, int firstBlock)
    {
        if (content is JsonValue && content.GetValueKind() == JsonValueKind.String)
        {
            OpenMessage(MessageKind.Assistant, "final_answer");
            WriteOutputText(content);
            CloseMessage();
            return;
        }
        if (content is not JsonArray blocks)
        {
            return;
        }
        // §9: commentary when the same assistant message also calls a tool, else the final answer.
        var phase = HasToolUse(blocks) ? "commentary" : "final_answer";
        for (var i = firstBlock; i < blocks.Count; i++)
        {
            if (blocks[i] is not JsonObject block)
            {
                continue;
            }
            var type = block["type"];
            if (JsonNodes.IsString(type, "text"))
            {
                OpenMessage(MessageKind.Assistant, phase);
                WriteOutputText(block["text"]);
            }
            else if (JsonNodes.IsString(type, "tool_use"))
            {
                CloseMessage();
                WriteToolUse(block);
            }
            else if (JsonNodes.IsString(type, "thinking"))
            {
                WriteThinking(block);
            }
        }
        CloseMessage();
    }

    private static bool HasToolUse(JsonArray blocks)
    {
        foreach (var node in blocks)
        {
            if (node is JsonObject block && JsonNodes.IsString(block["type"], "tool_use"))
            {
                return true;
            }
        }
        return false;
    }

    private void OpenMessage(MessageKind kind, string? phase)
    {
        if (_open == kind)
        {
            return;
        }
        CloseMessage();
        _writer.WriteStartObject();
        _writer.WriteString("type", "message");
        _writer.WriteString("role", kind == MessageKind.User ? "user" : "assistant");
        if (phase is not null)
        {
            _writer.WriteString("phase", phase);
        }
        _writer.WriteStartArray("content");
        _open = kind;
    }

    private void CloseMessage()
    {
        if (_open == MessageKind.None)
        {
            return;
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _open = MessageKind.None;
    }

    private void WriteOutputText(JsonNode? text)
    {
        _writer.WriteStartObject();
        _writer.WriteString("type", "output_text");
        JsonNodes.WriteValueOrString(_writer, "text", text, string.Empty);
        _writer.WriteEndObject();
    }

    private static bool IsInputContent(JsonObject block)
    {
        var type = block["type"];
        return JsonNodes.IsString(type, "text") || JsonNodes.IsString(type, "image") || JsonNodes.IsString(type, "document");
    }

    /// <summary>text → <c>input_text</c>, image → <c>input_image</c>, document → <c>input_file</c> (§9).</summary>
    private void WriteInputContent(JsonObject block)
    {
        var type = block["type"];
        if (JsonNodes.IsString(type, "text"))
        {
            WriteInputText(block["text"]);
        }
        else if (JsonNodes.IsString(type, "image"))
        {
            WriteInputImage(block["source"] as JsonObject);
        }
        else if (JsonNodes.IsString(type, "document"))
        {
            WriteInputFile(block);
        }
    }

    private void WriteInputText(JsonNode? text)
    {
        _writer.WriteStartObject();
        _writer.WriteString("type", "input_text");
        JsonNodes.WriteValueOrString(_writer, "text", text, string.Empty);
        _writer.WriteEndObject();
    }

    private void WriteInputImage(JsonObject? source)
    {
        _writer.WriteStartObject();
        _writer.WriteString("type", "input_image");
        _writer.WritePropertyName("image_url");
        WriteSourceUrl(source);
        _writer.WriteString("detail", "auto");
        _writer.WriteEndObject();
    }

    /// <summary>
    /// A PDF (or other base64) document → <c>input_file</c> with a data URL; a plain-text document's text is sent
    /// as <c>input_text</c>; a URL document → <c>input_file</c> with <c>file_url</c>.
    /// </summary>
    private void WriteInputFile(JsonObject block)
    {
        var source = block["source"] as JsonObject;
        if (source is not null && JsonNodes.IsString(source["type"], "text"))
        {
            WriteInputText(source["data"]);
            return;
        }
        _writer.WriteStartObject();
        _writer.WriteString("type", "input_file");
        if (source is not null && JsonNodes.IsString(source["type"], "url"))
        {
            JsonNodes.WriteValueOrString(_writer, "file_url", source["url"], string.Empty);
        }
        else
        {
            _writer.WritePropertyName("file_data");
            WriteSourceUrl(source);
            if (JsonNodes.IsNonEmptyString(block["title"]))
            {
                _writer.WritePropertyName("filename");
                block["title"]!.WriteTo(_writer);
            }
            else
            {
                _writer.WriteString("filename", "document.pdf");
            }
        }
        _writer.WriteEndObject();
    }

    /// <summary>
    /// A base64 source as <c>data:&lt;media_type&gt;;base64,&lt;data&gt;</c>, written in segments so large payloads
    /// are copied once; a URL source keeps its URL.
    /// </summary>
    private void WriteSourceUrl(JsonObject? source)
    {
        if (source is not null && JsonNodes.IsString(source["type"], "url"))
        {
            if (source["url"] is { } url)
            {
                url.WriteTo(_writer);
            }
            else
            {
                _writer.WriteStringValue(string.Empty);
            }
            return;
        }
        _writer.WriteStringValueSegment("data:"u8, isFinalSegment: false);
        JsonNodes.WriteSegment(_writer, source?["media_type"]);
        _writer.WriteStringValueSegment(";base64,"u8, isFinalSegment: false);
        JsonNodes.WriteSegment(_writer, source?["data"]);
        JsonNodes.EndSegments(_writer);
    }

    /// <summary>
    /// <c>function_call_output</c> (§9), or <c>tool_search_output</c> for a result of the bridge tool (§12).
    /// </summary>
    private void WriteToolResult(JsonObject block)
    {
        var callId = block["tool_use_id"];
        var content = block["content"];
        if (_bridge is not null && IsBridgeCall(callId))
        {
            WriteToolSearchOutput(callId, content);
            return;
        }
        _writer.WriteStartObject();
        _writer.WriteString("type", "function_call_output");
        JsonNodes.WriteValueOrString(_writer, "call_id", callId, string.Empty);
        _writer.WritePropertyName("output");
        if (content is JsonArray parts && parts.Count > 0)
        {
            _writer.WriteStartArray();
            foreach (var node in parts)
            {
                if (node is not JsonObject part)
                {
                    continue;
                }
                if (JsonNodes.IsString(part["type"], "tool_reference"))
                {
                    WriteToolReference(part);
                }
                else if (IsInputContent(part))
                {
                    WriteInputContent(part);
                }
            }
            _writer.WriteEndArray();
        }
        else if (content is JsonValue && content.GetValueKind() == JsonValueKind.String)
        {
            content.WriteTo(_writer);
        }
        else
        {
            _writer.WriteStringValue(string.Empty);
        }
        var isError = JsonNodes.TryGetBoolean(block["is_error"], out var error) && error;
        _writer.WriteString("status", isError ? "incomplete" : "completed");
        _writer.WriteEndObject();
    }

    /// <summary>A <c>tool_reference</c> becomes the text <c>Tool &lt;name&gt; loaded</c> (§9).</summary>
    private void WriteToolReference(JsonObject part)
    {
        _writer.WriteStartObject();
        _writer.WriteString("type", "input_text");
        _writer.WritePropertyName("text");
        _writer.WriteStringValueSegment("Tool "u8, isFinalSegment: false);
        JsonNodes.WriteSegment(_writer, part["tool_name"]);
        _writer.WriteStringValueSegment(" loaded"u8, isFinalSegment: true);
        _writer.WriteEndObject();
    }

    private void WriteToolSearchOutput(JsonNode? callId, JsonNode? content)
    {
        _writer.WriteStartObject();
        _writer.WriteString("type", "tool_search_output");
        JsonNodes.WriteValueOrString(_writer, "call_id", callId, string.Empty);
        _writer.WriteString("execution", "client");
        _writer.WriteString("status", "completed");
        _writer.WriteStartArray("tools");
        foreach (var name in ToolSearchBridge.ReadResultNames(content))
        {
            if (!_bridge!.TryGetDeferred(name, out var tool))
            {
                throw new ResponsesTranslationException($"Tool search result names unknown tool '{name}'.");
            }
            ResponsesToolWriter.WriteNamespace(_writer, tool);
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
    }

    private bool IsBridgeCall(JsonNode? callId)
        => JsonNodes.GetString(callId) is { } id && _bridgeCallIds is not null && _bridgeCallIds.Contains(id);

    /// <summary>Ids of every bridge call in the history, so their results map even when compaction dropped the call.</summary>
    private void CollectBridgeCallIds(JsonArray messages)
    {
        foreach (var node in messages)
        {
            if (node is not JsonObject message || !JsonNodes.IsString(message["role"], "assistant") || message["content"] is not JsonArray blocks)
            {
                continue;
            }
            foreach (var blockNode in blocks)
            {
                if (blockNode is JsonObject block && JsonNodes.IsString(block["type"], "tool_use")
                    && JsonNodes.GetString(block["name"]) is { } name && ToolSearchBridge.BridgeToolNames.Contains(name)
                    && JsonNodes.GetString(block["id"]) is { } id)
                {
                    (_bridgeCallIds ??= new HashSet<string>(StringComparer.Ordinal)).Add(id);
                }
            }
        }
    }

    /// <summary><c>function_call</c> (§9), or <c>tool_search_call</c> for a call of the bridge tool (§12).</summary>
    private void WriteToolUse(JsonObject block)
    {
        var name = JsonNodes.GetString(block["name"]) ?? string.Empty;
        if (_bridge is not null && ToolSearchBridge.BridgeToolNames.Contains(name))
        {
            _writer.WriteStartObject();
            _writer.WriteString("type", "tool_search_call");
            JsonNodes.WriteValueOrString(_writer, "call_id", block["id"], string.Empty);
            _writer.WriteString("execution", "client");
            _writer.WriteStartObject("arguments");
            _writer.WriteStartArray("names");
            foreach (var requested in ToolSearchBridge.ReadCallNames(block["input"]))
            {
                _writer.WriteStringValue(requested);
            }
            _writer.WriteEndArray();
            _writer.WriteEndObject();
            _writer.WriteString("status", "completed");
            _writer.WriteEndObject();
            return;
        }
        _writer.WriteStartObject();
        _writer.WriteString("type", "function_call");
        JsonNodes.WriteValueOrString(_writer, "call_id", block["id"], string.Empty);
        _writer.WriteString("name", name);
        if (_bridge is not null && _bridge.IsDeferred(name))
        {
            // §12: a deferred tool lives in the namespace of its own name.
            _writer.WriteString("namespace", name);
        }
        WriteArguments(block["input"]);
        _writer.WriteString("status", "completed");
        _writer.WriteEndObject();
    }

    /// <summary><c>arguments</c>: the tool input as a compact JSON string.</summary>
    private void WriteArguments(JsonNode? input)
    {
        if (input is null)
        {
            _writer.WriteString("arguments", "{}");
            return;
        }
        _argumentsBuffer ??= new ArrayBufferWriter<byte>();
        _argumentsBuffer.ResetWrittenCount();
        if (_argumentsWriter is null)
        {
            _argumentsWriter = new Utf8JsonWriter(_argumentsBuffer, s_argumentsOptions);
        }
        else
        {
            _argumentsWriter.Reset(_argumentsBuffer);
        }
        input.WriteTo(_argumentsWriter);
        _argumentsWriter.Flush();
        _writer.WriteString("arguments", _argumentsBuffer.WrittenSpan);
    }

    /// <summary>
    /// A thinking block is a carrier for a Responses item when its signature says so (§9): <c>cm1#…@id</c> →
    /// <c>compaction</c>, <c>…@id</c> → <c>reasoning</c>. Any other thinking block (e.g. from a Claude model) is dropped.
    /// </summary>
    private void WriteThinking(JsonObject block)
    {
        var signature = JsonNodes.GetString(block["signature"]);
        if (signature is null)
        {
            return;
        }
        if (TryParseCompaction(signature, out var compactionContent, out var compactionId))
        {
            CloseMessage();
            _writer.WriteStartObject();
            _writer.WriteString("type", "compaction");
            _writer.WriteString("id", signature.AsSpan(compactionId.Start, compactionId.Length));
            _writer.WriteString("encrypted_content", signature.AsSpan(compactionContent.Start, compactionContent.Length));
            _writer.WriteEndObject();
            return;
        }
        if (signature.StartsWith(CompactionPrefix, StringComparison.Ordinal))
        {
            return;
        }
        var at = signature.LastIndexOf('@');
        if (at < 0)
        {
            return;
        }
        CloseMessage();
        _writer.WriteStartObject();
        _writer.WriteString("type", "reasoning");
        if (at < signature.Length - 1)
        {
            _writer.WriteString("id", signature.AsSpan(at + 1));
        }
        _writer.WriteString("encrypted_content", signature.AsSpan(0, at));
        _writer.WriteStartArray("summary");
        var thinking = block["thinking"];
        if (JsonNodes.IsNonEmptyString(thinking) && !JsonNodes.IsString(thinking, ThinkingPlaceholder))
        {
            _writer.WriteStartObject();
            _writer.WriteString("type", "summary_text");
            _writer.WritePropertyName("text");
            thinking!.WriteTo(_writer);
            _writer.WriteEndObject();
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
    }

    /// <summary><c>cm1#&lt;encrypted_content&gt;@&lt;id&gt;</c>, both parts non-empty.</summary>
    private static bool TryParseCompaction(string? signature, out (int Start, int Length) content, out (int Start, int Length) id)
    {
        content = default;
        id = default;
        if (signature is null || !signature.StartsWith(CompactionPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var at = signature.LastIndexOf('@');
        if (at <= CompactionPrefix.Length || at == signature.Length - 1)
        {
            return false;
        }
        content = (CompactionPrefix.Length, at - CompactionPrefix.Length);
        id = (at + 1, signature.Length - at - 1);
        return true;
    }
}
