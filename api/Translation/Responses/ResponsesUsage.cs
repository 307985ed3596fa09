using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// Responses <c>usage</c> in Anthropic semantics (SPEC §10): <c>input_tokens</c> = input − cached − cache-write;
/// the cache counters are written only when the upstream reports them.
/// </summary>
internal readonly record struct ResponsesUsage(TokenUsage Tokens, bool HasCacheRead, bool HasCacheWrite)
{
    /// <summary>Reads <c>response.usage</c>; false when the response carries none.</summary>
    public static bool TryRead(JsonElement response, out ResponsesUsage usage)
    {
        usage = default;
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("usage"u8, out var u) || u.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        var input = ReadInt64(u, "input_tokens"u8) ?? 0;
        var output = ReadInt64(u, "output_tokens"u8) ?? 0;
        long? total = ReadInt64(u, "total_tokens"u8);
        long? cached = null;
        long? cacheWrite = null;
        if (u.TryGetProperty("input_tokens_details"u8, out var details) && details.ValueKind == JsonValueKind.Object)
        {
            cached = ReadInt64(details, "cached_tokens"u8);
            // Upstreams disagree on the cache-write name; the first one present wins.
            cacheWrite = ReadInt64(details, "cache_write_tokens"u8)
                ?? ReadInt64(details, "cache_creation_tokens"u8)
                ?? ReadInt64(details, "cache_creation_input_tokens"u8);
        }
        var uncached = Math.Max(0, input - (cached ?? 0) - (cacheWrite ?? 0));
        usage = new ResponsesUsage(
            new TokenUsage(uncached, output, cached ?? 0, cacheWrite ?? 0, total),
            cached.HasValue,
            cacheWrite.HasValue);
        return true;
    }

    /// <summary>Writes the Anthropic <c>usage</c> object as the value of the current property.</summary>
    public void WriteValue(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("input_tokens", Tokens.InputTokens);
        writer.WriteNumber("output_tokens", Tokens.OutputTokens);
        if (HasCacheRead)
        {
            writer.WriteNumber("cache_read_input_tokens", Tokens.CacheReadInputTokens);
        }
        if (HasCacheWrite)
        {
            writer.WriteNumber("cache_creation_input_tokens", Tokens.CacheCreationInputTokens);
        }
        writer.WriteEndObject();
    }

    private static long? ReadInt64(JsonElement obj, ReadOnlySpan<byte> name)
        => obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;
}
