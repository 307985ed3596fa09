using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Api.Translation;
using Gateway.Api.Translation.Responses;

namespace Gateway.Api.Responses;

/// <summary>
/// Sanitises a client's <c>POST /v1/responses</c> body for Copilot (SPEC §11.2) in one forward
/// <see cref="Utf8JsonReader"/> pass that records byte-range edits (<see cref="BodySplices"/>); a body no rule touches
/// is returned as the same array, and an edited body is the client's bytes with only the edited ranges changed.
/// Rules, in body order:
/// 1. <c>model</c> → the resolved Copilot id.
/// 2. <c>service_tier</c> → <c>null</c> (an absent one stays absent: the upstream reads both the same way).
/// 3. <c>reasoning.effort</c> outside the model's <c>reasoning_effort</c> list → the list's last element.
/// 4. <c>tools</c>: <c>web_search*</c> removed unless <c>useResponsesApiWebSearch</c>; the custom <c>apply_patch</c>
///    tool → a function tool with one required string parameter <c>input</c> (<c>useFunctionApplyPatch</c>).
/// 5. <c>input</c> items: <c>internal_chat_message_metadata_passthrough</c> removed; <c>apply_patch</c>
///    <c>custom_tool_call</c> / <c>custom_tool_call_output</c> → <c>function_call</c> / <c>function_call_output</c>;
///    <c>input_image</c> parts: <c>detail</c> other than <c>low</c>/<c>high</c>/<c>auto</c> → <c>auto</c>, data URLs
///    over <c>vision.max_prompt_image_size</c> → <see cref="RedactedImage"/> with <c>detail: "low"</c>; items before
///    the latest <c>compaction</c> item dropped.
/// 6. <c>context_management</c> added when enabled and the client sent none.
/// </summary>
public static class ResponsesSanitizer
{
    private const string ApplyPatch = "apply_patch";

    /// <summary>
    /// Returns <paramref name="body"/> itself when nothing needs changing, else a new array. The body must be a JSON
    /// object (the caller scanned it with <see cref="Messages.ResponsesBodyFacts.TryScan"/>).
    /// </summary>
    public static byte[] Sanitize(byte[] body, ResponsesSanitizeOptions options)
    {
        var pass = new Pass(body, options);
        pass.Run();
        return pass.Splices.Count == 0 ? body : pass.Splices.Apply(body);
    }

    private enum ItemKind
    {
        Other,
        CustomToolCall,
        CustomToolCallOutput,
        Compaction,
        CompactionTrigger,
    }

    private sealed class Pass(byte[] body, ResponsesSanitizeOptions options)
    {
        private readonly List<(int Start, int End)> _members = [];
        private HashSet<string>? _patchCallIds;
        private bool _lastItemIsCompactionTrigger;

        public BodySplices Splices { get; } = new();

        public void Run()
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }
            var objectStart = (int)reader.TokenStartIndex;
            var hasContextManagement = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && !reader.ValueTextEquals(options.UpstreamModelId))
                    {
                        Splices.Replace((int)reader.TokenStartIndex, (int)reader.BytesConsumed, JsonString(options.UpstreamModelId));
                    }
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("service_tier"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    var isNull = reader.TokenType == JsonTokenType.Null;
                    reader.Skip();
                    if (!isNull)
                    {
                        Splices.Replace(start, (int)reader.BytesConsumed, "null"u8);
                    }
                }
                else if (reader.ValueTextEquals("reasoning"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        Reasoning(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("tools"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        Tools(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("input"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        Input(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    // A client-sent context_management is kept as it is (§11.2).
                    hasContextManagement |= reader.ValueTextEquals("context_management"u8);
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return;
            }
            if (!hasContextManagement && ContextManagementEnabled())
            {
                var objectEnd = (int)reader.TokenStartIndex;
                var isEmpty = body.AsSpan(objectStart + 1, objectEnd - objectStart - 1).Trim(" \t\r\n"u8).IsEmpty;
                var threshold = ResponsesContextManagement.CompactThreshold(options.UpstreamModelId, options.Model, options.CompactThresholds);
                var json = string.Create(CultureInfo.InvariantCulture,
                    $"{(isEmpty ? "" : ",")}\"context_management\":[{{\"type\":\"compaction\",\"compact_threshold\":{threshold}}}]");
                Splices.Insert(objectEnd, Encoding.UTF8.GetBytes(json));
            }
        }

        /// <summary>
        /// §11.2: GPT models below 5.6 with the route's flag on; a request ending in <c>compaction_trigger</c> asks for
        /// compaction explicitly, so there the flag alone decides.
        /// </summary>
        private bool ContextManagementEnabled()
            => options.ContextManagement && (_lastItemIsCompactionTrigger || ResponsesContextManagement.AppliesTo(options.UpstreamModelId));

        private void Reasoning(ref Utf8JsonReader reader)
        {
            var efforts = options.Model?.ReasoningEfforts ?? [];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEffort = reader.ValueTextEquals("effort"u8);
                reader.Read();
                if (isEffort && reader.TokenType == JsonTokenType.String && efforts.Count > 0 && !Contains(efforts, ref reader))
                {
                    Splices.Replace((int)reader.TokenStartIndex, (int)reader.BytesConsumed, JsonString(efforts[^1]));
                }
                reader.Skip();
            }
        }

        private static bool Contains(IReadOnlyList<string> values, ref Utf8JsonReader reader)
        {
            foreach (var value in values)
            {
                if (reader.ValueTextEquals(value))
                {
                    return true;
                }
            }
            return false;
        }

        private void Tools(ref Utf8JsonReader reader)
        {
            var members = new List<(int Start, int End)>();
            var dropped = new List<bool>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                var drop = false;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var (isWebSearch, isCustomApplyPatch, description) = ScanTool(ref reader);
                    drop = isWebSearch && !options.UseWebSearch;
                    if (isCustomApplyPatch && options.UseFunctionApplyPatch)
                    {
                        Splices.Replace(start, (int)reader.BytesConsumed, ApplyPatchFunctionTool(description.End.Value == 0 ? default : body.AsSpan(description)));
                    }
                }
                else
                {
                    reader.Skip();
                }
                members.Add((start, (int)reader.BytesConsumed));
                dropped.Add(drop);
            }
            if (dropped.Contains(true))
            {
                Splices.RemoveMembers(members, i => dropped[i]);
            }
        }

        private static (bool IsWebSearch, bool IsCustomApplyPatch, Range Description) ScanTool(ref Utf8JsonReader reader)
        {
            bool isWebSearch = false, isCustom = false, isApplyPatch = false;
            Range description = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isName = !isType && reader.ValueTextEquals("name"u8);
                var isDescription = !isType && !isName && reader.ValueTextEquals("description"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (isType)
                    {
                        // web_search, web_search_preview and their dated variants.
                        isWebSearch = reader.ValueTextEquals("web_search"u8) || reader.ValueSpan.StartsWith("web_search_"u8);
                        isCustom = reader.ValueTextEquals("custom"u8);
                    }
                    else if (isName)
                    {
                        isApplyPatch = reader.ValueTextEquals(ApplyPatch);
                    }
                    else if (isDescription)
                    {
                        description = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                    }
                }
                reader.Skip();
            }
            return (isWebSearch, isCustom && isApplyPatch, description);
        }

        /// <summary>The function form of the custom <c>apply_patch</c> tool; <paramref name="description"/> is a raw JSON string or empty.</summary>
        private static byte[] ApplyPatchFunctionTool(ReadOnlySpan<byte> description)
        {
            var head = """{"type":"function","name":"apply_patch","""u8;
            var tail = "\"parameters\":{\"type\":\"object\",\"properties\":{\"input\":{\"type\":\"string\"}},\"required\":[\"input\"],\"additionalProperties\":false},\"strict\":false}"u8;
            var descriptionName = "\"description\":"u8;
            var output = new byte[head.Length + tail.Length + (description.IsEmpty ? 0 : descriptionName.Length + description.Length + 1)];
            var span = output.AsSpan();
            head.CopyTo(span);
            span = span[head.Length..];
            if (!description.IsEmpty)
            {
                descriptionName.CopyTo(span);
                span = span[descriptionName.Length..];
                description.CopyTo(span);
                span = span[description.Length..];
                span[0] = (byte)',';
                span = span[1..];
            }
            tail.CopyTo(span);
            return output;
        }

        private void Input(ref Utf8JsonReader reader)
        {
            var splicesAtStart = Splices.Count;
            var items = new List<(int Start, int End)>();
            var splicesBeforeItem = new List<int>();
            var latestCompaction = -1;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                splicesBeforeItem.Add(Splices.Count);
                var kind = ItemKind.Other;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    kind = Item(ref reader, start);
                }
                else
                {
                    reader.Skip();
                }
                if (kind == ItemKind.Compaction)
                {
                    latestCompaction = items.Count;
                }
                _lastItemIsCompactionTrigger = kind == ItemKind.CompactionTrigger;
                items.Add((start, (int)reader.BytesConsumed));
            }
            if (latestCompaction > 0)
            {
                // §11.2: the latest compaction item stands for everything before it; edits inside dropped items go too.
                Splices.RemoveEdits(splicesAtStart, splicesBeforeItem[latestCompaction]);
                Splices.RemoveMembers(items, i => i < latestCompaction);
            }
        }

        /// <summary>One input item (reader on its <c>StartObject</c>, left on its <c>EndObject</c>).</summary>
        private ItemKind Item(ref Utf8JsonReader reader, int start)
        {
            var splicesAtStart = Splices.Count;
            var kind = ItemKind.Other;
            var isApplyPatch = false;
            Range callId = default;
            var passthrough = -1;
            _members.Clear();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var memberStart = (int)reader.TokenStartIndex;
                var name = PropertyName.Other;
                if (reader.ValueTextEquals("type"u8))
                {
                    name = PropertyName.Type;
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    name = PropertyName.Name;
                }
                else if (reader.ValueTextEquals("call_id"u8))
                {
                    name = PropertyName.CallId;
                }
                else if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("output"u8))
                {
                    name = PropertyName.Parts;
                }
                else if (reader.ValueTextEquals("internal_chat_message_metadata_passthrough"u8))
                {
                    passthrough = _members.Count;
                }
                reader.Read();
                switch (name)
                {
                    case PropertyName.Type when reader.TokenType == JsonTokenType.String:
                        kind = reader.ValueTextEquals("custom_tool_call"u8) ? ItemKind.CustomToolCall
                            : reader.ValueTextEquals("custom_tool_call_output"u8) ? ItemKind.CustomToolCallOutput
                            : reader.ValueTextEquals("compaction"u8) ? ItemKind.Compaction
                            : reader.ValueTextEquals("compaction_trigger"u8) ? ItemKind.CompactionTrigger
                            : ItemKind.Other;
                        break;
                    case PropertyName.Name when reader.TokenType == JsonTokenType.String:
                        isApplyPatch = reader.ValueTextEquals(ApplyPatch);
                        break;
                    case PropertyName.CallId when reader.TokenType == JsonTokenType.String:
                        callId = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                        break;
                    case PropertyName.Parts when reader.TokenType == JsonTokenType.StartArray:
                        Parts(ref reader);
                        break;
                }
                reader.Skip();
                _members.Add((memberStart, (int)reader.BytesConsumed));
            }
            var end = (int)reader.BytesConsumed;
            if (options.UseFunctionApplyPatch)
            {
                if (kind == ItemKind.CustomToolCall && isApplyPatch)
                {
                    if (callId.End.Value > 0)
                    {
                        (_patchCallIds ??= new HashSet<string>(StringComparer.Ordinal)).Add(CallIdText(callId));
                    }
                    Splices.TruncateTo(splicesAtStart);
                    Splices.Replace(start, end, RewriteCustomItem(body.AsSpan(start, end - start), "function_call"));
                    return kind;
                }
                if (kind == ItemKind.CustomToolCallOutput && callId.End.Value > 0 && _patchCallIds is { } calls && calls.Contains(CallIdText(callId)))
                {
                    Splices.TruncateTo(splicesAtStart);
                    Splices.Replace(start, end, RewriteCustomItem(body.AsSpan(start, end - start), "function_call_output"));
                    return kind;
                }
            }
            if (passthrough >= 0)
            {
                Splices.RemoveMembers(_members, i => i == passthrough);
            }
            return kind;
        }

        private string CallIdText(Range raw)
        {
            var reader = new Utf8JsonReader(body.AsSpan(raw));
            reader.Read();
            return reader.GetString()!;
        }

        /// <summary>Content parts (<c>content</c> or <c>output</c> arrays): the <c>input_image</c> rules.</summary>
        private void Parts(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                var partStart = (int)reader.TokenStartIndex;
                var isImage = false;
                var hasMembers = false;
                Range detail = default;
                var detailValid = false;
                Range url = default;
                long dataBytes = -1;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    hasMembers = true;
                    var isType = reader.ValueTextEquals("type"u8);
                    var isDetail = !isType && reader.ValueTextEquals("detail"u8);
                    var isUrl = !isType && !isDetail && reader.ValueTextEquals("image_url"u8);
                    reader.Read();
                    if (isType)
                    {
                        isImage = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("input_image"u8);
                    }
                    else if (isDetail)
                    {
                        detail = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                        detailValid = reader.TokenType == JsonTokenType.String
                            && (reader.ValueTextEquals("low"u8) || reader.ValueTextEquals("high"u8) || reader.ValueTextEquals("auto"u8));
                    }
                    else if (isUrl && reader.TokenType == JsonTokenType.String)
                    {
                        url = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                        dataBytes = DataUrlBytes(reader.ValueSpan);
                    }
                    reader.Skip();
                }
                if (!isImage)
                {
                    continue;
                }
                var limit = options.Model?.VisionMaxPromptImageSize;
                var tooLarge = limit is > 0 && dataBytes > limit;
                if (tooLarge)
                {
                    Splices.Replace(url.Start.Value, url.End.Value, RedactedImage.DataUrlJson);
                }
                var wanted = tooLarge ? "\"low\""u8 : "\"auto\""u8;
                if (detail.End.Value > 0)
                {
                    if (tooLarge || !detailValid)
                    {
                        Splices.Replace(detail.Start.Value, detail.End.Value, wanted);
                    }
                }
                else
                {
                    var property = tooLarge ? "\"detail\":\"low\""u8 : "\"detail\":\"auto\""u8;
                    Splices.Insert(partStart + 1, hasMembers ? [.. property, (byte)','] : property);
                }
            }
        }

        /// <summary>Decoded size of a base64 data URL (base64 length × 3 / 4, §11.2), or -1 for any other URL.</summary>
        private static long DataUrlBytes(ReadOnlySpan<byte> rawUrl)
        {
            if (!rawUrl.StartsWith("data:"u8))
            {
                return -1;
            }
            var comma = rawUrl.IndexOf((byte)',');
            return comma < 0 ? -1 : (long)(rawUrl.Length - comma - 1) * 3 / 4;
        }

        /// <summary>
        /// An <c>apply_patch</c> custom item in function form: <c>type</c> replaced, <c>input</c> → <c>arguments</c>
        /// <c>{"input": …}</c>, the metadata passthrough dropped, every other field kept.
        /// </summary>
        private static byte[] RewriteCustomItem(ReadOnlySpan<byte> item, string type)
        {
            var reader = new Utf8JsonReader(item);
            using var document = JsonDocument.ParseValue(ref reader);
            var buffer = new ArrayBufferWriter<byte>(item.Length + 32);
            using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
            {
                writer.WriteStartObject();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.NameEquals("type"u8))
                    {
                        writer.WriteString("type"u8, type);
                    }
                    else if (property.NameEquals("input"u8))
                    {
                        writer.WriteString("arguments"u8, Arguments(property.Value));
                    }
                    else if (!property.NameEquals("internal_chat_message_metadata_passthrough"u8))
                    {
                        property.WriteTo(writer);
                    }
                }
                writer.WriteEndObject();
            }
            return buffer.WrittenSpan.ToArray();
        }

        private static byte[] Arguments(JsonElement input)
        {
            var buffer = new ArrayBufferWriter<byte>(input.ValueKind == JsonValueKind.String ? input.GetString()!.Length + 16 : 64);
            using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("input"u8);
                input.WriteTo(writer);
                writer.WriteEndObject();
            }
            return buffer.WrittenSpan.ToArray();
        }

        private static byte[] JsonString(string value) => JsonSerializer.SerializeToUtf8Bytes(value);
    }

    private enum PropertyName
    {
        Other,
        Type,
        Name,
        CallId,
        Parts,
    }
}
