using System.Text.Json;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// Where a JSON string token sits in a buffer: <see cref="Start"/> is its opening quote and <see cref="Length"/>
/// covers both quotes, so the slice is the token exactly as received (escapes included). The default value means
/// "absent or not a string".
/// </summary>
internal readonly record struct JsonRange(int Start, int Length, bool Escaped)
{
    public bool IsString => Length >= 2;

    /// <summary>A string with at least one character (JSON <c>""</c> has a raw length of 2).</summary>
    public bool IsNonEmptyString => Length > 2;

    /// <summary>The current string token of <paramref name="reader"/> (which reads a single span).</summary>
    public static JsonRange Of(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.String
            ? new JsonRange((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2, reader.ValueIsEscaped)
            : default;

    /// <summary>The token with its quotes, ready for <see cref="Utf8JsonWriter.WriteRawValue(ReadOnlySpan{byte}, bool)"/>.</summary>
    public ReadOnlySpan<byte> Raw(ReadOnlySpan<byte> buffer) => buffer.Slice(Start, Length);

    /// <summary>Compares the unescaped value with <paramref name="utf8"/>, as <see cref="JsonElement.ValueEquals(ReadOnlySpan{byte})"/> does.</summary>
    public bool ValueEquals(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> utf8)
    {
        if (!Escaped)
        {
            return buffer.Slice(Start + 1, Length - 2).SequenceEqual(utf8);
        }
        var reader = new Utf8JsonReader(Raw(buffer));
        reader.Read();
        return reader.ValueTextEquals(utf8);
    }

    /// <summary>The unescaped value, validated as <see cref="JsonElement.GetString"/> does.</summary>
    public string GetString(ReadOnlySpan<byte> buffer)
    {
        var reader = new Utf8JsonReader(Raw(buffer));
        reader.Read();
        return reader.GetString()!;
    }
}
