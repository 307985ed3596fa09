using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// Allocation-aware reads of the parsed Anthropic request (a <see cref="JsonObject"/> whose leaves are usually
/// <see cref="JsonElement"/>-backed values, or CLR values once pre-processing edited them).
/// </summary>
internal static class JsonNodes
{
    public static string? GetString(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>True when <paramref name="node"/> is the string <paramref name="expected"/>, without materialising it.</summary>
    public static bool IsString(JsonNode? node, string expected)
    {
        if (node is not JsonValue value)
        {
            return false;
        }
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.String && element.ValueEquals(expected);
        }
        return value.TryGetValue<string>(out var text) && string.Equals(text, expected, StringComparison.Ordinal);
    }

    public static bool TryGetInt64(JsonNode? node, out long result)
    {
        result = 0;
        if (node is not JsonValue value)
        {
            return false;
        }
        if (value.TryGetValue<JsonElement>(out var element))
        {
            if (element.ValueKind != JsonValueKind.Number)
            {
                return false;
            }
            if (element.TryGetInt64(out result))
            {
                return true;
            }
            // Clients sometimes send 32000.0; a whole double is still a token count.
            if (element.TryGetDouble(out var d) && d >= long.MinValue && d <= long.MaxValue)
            {
                result = (long)d;
                return true;
            }
            return false;
        }
        if (value.TryGetValue(out result))
        {
            return true;
        }
        if (value.TryGetValue<int>(out var small))
        {
            result = small;
            return true;
        }
        return false;
    }

    public static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The text of a text block (<c>{"type":"text","text"}</c>), or null for any other node.</summary>
    public static string? TextOf(JsonObject block)
        => GetString(block["type"]) == "text" ? GetString(block["text"]) : null;

    public static bool IsNumber(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    public static bool TryGetBoolean(JsonNode? node, out bool result)
    {
        result = false;
        if (node is not JsonValue value)
        {
            return false;
        }
        var kind = value.GetValueKind();
        if (kind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return false;
        }
        result = kind == JsonValueKind.True;
        return true;
    }

    /// <summary>True for a non-empty string value.</summary>
    public static bool IsNonEmptyString(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return false;
        }
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.String && !element.ValueEquals(ReadOnlySpan<byte>.Empty);
        }
        return value.TryGetValue<string>(out var text) && text.Length > 0;
    }

    /// <summary>
    /// Appends the string value of <paramref name="node"/> to a string being written in segments
    /// (<see cref="Utf8JsonWriter.WriteStringValueSegment(ReadOnlySpan{byte}, bool)"/>). Unescaped element-backed
    /// strings are copied from the request bytes directly, so multi-megabyte base64 data is never materialised.
    /// </summary>
    public static void WriteSegment(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return;
        }
        if (value.TryGetValue<JsonElement>(out var element))
        {
            WriteSegment(writer, element);
            return;
        }
        if (value.TryGetValue<string>(out var text))
        {
            WriteSegment(writer, text);
        }
    }

    /// <summary>Appends a string element to a string being written in segments; other kinds add nothing.</summary>
    public static void WriteSegment(Utf8JsonWriter writer, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return;
        }
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }
        if (raw.IndexOf((byte)'\\') < 0)
        {
            writer.WriteStringValueSegment(raw, isFinalSegment: false);
            return;
        }
        WriteSegment(writer, element.GetString());
    }

    /// <summary>Appends UTF-16 text to a string being written in UTF-8 segments.</summary>
    public static void WriteSegment(Utf8JsonWriter writer, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, rented);
            writer.WriteStringValueSegment(rented.AsSpan(0, length), isFinalSegment: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static void EndSegments(Utf8JsonWriter writer) => writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);

    /// <summary>Writes <paramref name="node"/> as a property value, or <paramref name="fallback"/> when it is null.</summary>
    public static void WriteValueOrString(Utf8JsonWriter writer, string propertyName, JsonNode? node, string fallback)
    {
        writer.WritePropertyName(propertyName);
        if (node is null)
        {
            writer.WriteStringValue(fallback);
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
