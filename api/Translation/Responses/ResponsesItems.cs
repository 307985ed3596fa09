using System.Text.Json;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// Reads Responses output items and writes the Anthropic pieces they become (SPEC §10), shared by the non-stream and
/// stream translators so both produce the same blocks.
/// </summary>
internal static class ResponsesItems
{
    /// <summary>Tool name used for a <c>tool_search_call</c> when the caller did not say which bridge alias the client has.</summary>
    public const string DefaultToolSearchToolName = "mcp__tool_search__search";

    public static bool IsType(JsonElement item, ReadOnlySpan<byte> type)
        => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type"u8, out var t) && t.ValueEquals(type);

    public static JsonElement Get(JsonElement obj, ReadOnlySpan<byte> name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    public static bool IsNonEmptyString(JsonElement element)
        => element.ValueKind == JsonValueKind.String && !element.ValueEquals(ReadOnlySpan<byte>.Empty);

    /// <summary>True when the reasoning item has at least one non-empty summary text.</summary>
    public static bool HasSummary(JsonElement reasoning)
    {
        var summary = Get(reasoning, "summary"u8);
        if (summary.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var part in summary.EnumerateArray())
        {
            if (IsNonEmptyString(Get(part, "text"u8)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Thinking text of a reasoning item: its summary texts joined by blank lines, or <c>Thinking...</c>.</summary>
    public static void WriteThinkingValue(Utf8JsonWriter writer, JsonElement reasoning)
    {
        if (!HasSummary(reasoning))
        {
            writer.WriteStringValue(ResponsesInputWriter.ThinkingPlaceholder);
            return;
        }
        var first = true;
        foreach (var part in Get(reasoning, "summary"u8).EnumerateArray())
        {
            var text = Get(part, "text"u8);
            if (!IsNonEmptyString(text))
            {
                continue;
            }
            if (!first)
            {
                writer.WriteStringValueSegment("\n\n"u8, isFinalSegment: false);
            }
            JsonNodes.WriteSegment(writer, text);
            first = false;
        }
        JsonNodes.EndSegments(writer);
    }

    /// <summary>
    /// Carrier signature of a reasoning item (<c>&lt;encrypted_content&gt;@&lt;id&gt;</c>) or of a compaction item
    /// (<c>cm1#&lt;encrypted_content&gt;@&lt;id&gt;</c>), read back by §9 on the next turn.
    /// </summary>
    public static void WriteSignatureValue(Utf8JsonWriter writer, JsonElement item, bool compaction)
    {
        if (compaction)
        {
            writer.WriteStringValueSegment("cm1#"u8, isFinalSegment: false);
        }
        JsonNodes.WriteSegment(writer, Get(item, "encrypted_content"u8));
        writer.WriteStringValueSegment("@"u8, isFinalSegment: false);
        JsonNodes.WriteSegment(writer, Get(item, "id"u8));
        JsonNodes.EndSegments(writer);
    }

    /// <summary>True when a message item has any <c>output_text</c> or <c>refusal</c> text.</summary>
    public static bool HasMessageText(JsonElement message)
    {
        var content = Get(message, "content"u8);
        if (content.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var part in content.EnumerateArray())
        {
            if (IsNonEmptyString(PartText(part)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A message item's <c>output_text</c> and <c>refusal</c> parts, concatenated (§10).</summary>
    public static void WriteMessageTextValue(Utf8JsonWriter writer, JsonElement message)
    {
        var content = Get(message, "content"u8);
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                JsonNodes.WriteSegment(writer, PartText(part));
            }
        }
        JsonNodes.EndSegments(writer);
    }

    private static JsonElement PartText(JsonElement part)
    {
        if (IsType(part, "output_text"u8))
        {
            return Get(part, "text"u8);
        }
        return IsType(part, "refusal"u8) ? Get(part, "refusal"u8) : default;
    }

    /// <summary><c>tool_use.name</c> of a function call: its namespace when present (§12 deferred tools), else its name.</summary>
    public static JsonElement FunctionName(JsonElement call)
    {
        var ns = Get(call, "namespace"u8);
        return IsNonEmptyString(ns) ? ns : Get(call, "name"u8);
    }

    /// <summary>
    /// The parsed <c>arguments</c> string as the <c>input</c> object. Empty arguments give <c>{}</c>; text that is not
    /// a JSON object is kept under <c>raw_arguments</c> so nothing the model produced is lost silently.
    /// </summary>
    public static void WriteArgumentsAsInput(Utf8JsonWriter writer, JsonElement arguments)
    {
        if (arguments.ValueKind == JsonValueKind.Object)
        {
            arguments.WriteTo(writer);
            return;
        }
        var text = arguments.ValueKind == JsonValueKind.String ? arguments.GetString() : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }
        try
        {
            using var parsed = JsonDocument.Parse(text);
            if (parsed.RootElement.ValueKind == JsonValueKind.Object)
            {
                parsed.RootElement.WriteTo(writer);
                return;
            }
        }
        catch (JsonException)
        {
            // Falls through to raw_arguments.
        }
        writer.WriteStartObject();
        writer.WriteString("raw_arguments", text);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The bridge tool's input for a <c>tool_search_call</c> (§12): <c>{"names":"a,b"}</c> from
    /// <c>arguments.names</c> (an array, or a JSON string holding the arguments object).
    /// </summary>
    public static void WriteToolSearchInput(Utf8JsonWriter writer, JsonElement call)
    {
        var arguments = Get(call, "arguments"u8);
        JsonDocument? parsed = null;
        try
        {
            if (arguments.ValueKind == JsonValueKind.String)
            {
                try
                {
                    parsed = JsonDocument.Parse(arguments.GetString()!);
                    arguments = parsed.RootElement;
                }
                catch (JsonException)
                {
                    arguments = default;
                }
            }
            writer.WriteStartObject();
            writer.WritePropertyName("names");
            var names = Get(arguments, "names"u8);
            if (names.ValueKind == JsonValueKind.Array)
            {
                var first = true;
                foreach (var name in names.EnumerateArray())
                {
                    if (name.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }
                    if (!first)
                    {
                        writer.WriteStringValueSegment(","u8, isFinalSegment: false);
                    }
                    JsonNodes.WriteSegment(writer, name);
                    first = false;
                }
                JsonNodes.EndSegments(writer);
            }
            else if (names.ValueKind == JsonValueKind.String)
            {
                names.WriteTo(writer);
            }
            else
            {
                writer.WriteStringValue(string.Empty);
            }
            writer.WriteEndObject();
        }
        finally
        {
            parsed?.Dispose();
        }
    }

    /// <summary>Id of a call item: <c>call_id</c>, else the item id.</summary>
    public static JsonElement CallId(JsonElement item)
    {
        var callId = Get(item, "call_id"u8);
        return IsNonEmptyString(callId) ? callId : Get(item, "id"u8);
    }

    /// <summary>The <c>web_search</c> input <c>{"query"}</c> of a <c>web_search_call</c> (SPEC §3.6).</summary>
    public static void WriteWebSearchInput(Utf8JsonWriter writer, JsonElement call)
    {
        writer.WriteStartObject();
        var query = Get(Get(call, "action"u8), "query"u8);
        writer.WritePropertyName("query");
        if (query.ValueKind == JsonValueKind.String)
        {
            query.WriteTo(writer);
        }
        else
        {
            writer.WriteStringValue(string.Empty);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes a string element, or an empty string for anything else.</summary>
    public static void WriteStringOrEmpty(Utf8JsonWriter writer, string propertyName, JsonElement value)
    {
        writer.WritePropertyName(propertyName);
        if (value.ValueKind == JsonValueKind.String)
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteStringValue(string.Empty);
        }
    }
}
