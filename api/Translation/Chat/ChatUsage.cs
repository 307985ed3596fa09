using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// Chat Completions <c>usage</c> in Anthropic terms (SPEC §6): input excludes cached prompt tokens, which are
/// reported as cache reads only when the upstream gave <c>prompt_tokens_details.cached_tokens</c>.
/// </summary>
internal readonly record struct ChatUsage(long InputTokens, long OutputTokens, long? CacheReadInputTokens, long? TotalTokens)
{
    public static bool TryRead(JsonElement chunkOrResponse, out ChatUsage usage)
    {
        usage = default;
        if (chunkOrResponse.ValueKind != JsonValueKind.Object
            || !chunkOrResponse.TryGetProperty("usage"u8, out var u)
            || u.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        long? cached = u.TryGetProperty("prompt_tokens_details"u8, out var details) && details.ValueKind == JsonValueKind.Object
            ? ReadLong(details, "cached_tokens"u8)
            : null;
        usage = FromCounts(ReadLong(u, "prompt_tokens"u8), ReadLong(u, "completion_tokens"u8), cached, ReadLong(u, "total_tokens"u8));
        return true;
    }

    /// <summary>From the upstream counts as read (null when absent or not a number).</summary>
    public static ChatUsage FromCounts(long? promptTokens, long? completionTokens, long? cachedTokens, long? totalTokens)
        => new(
            Math.Max(0, (promptTokens ?? 0) - (cachedTokens ?? 0)),
            Math.Max(0, completionTokens ?? 0),
            cachedTokens is { } c ? Math.Max(0, c) : null,
            totalTokens);

    public TokenUsage ToTokenUsage() => new(InputTokens, OutputTokens, CacheReadInputTokens ?? 0, 0, TotalTokens);

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteNumber("input_tokens"u8, InputTokens);
        writer.WriteNumber("output_tokens"u8, OutputTokens);
        if (CacheReadInputTokens is { } cached)
        {
            writer.WriteNumber("cache_read_input_tokens"u8, cached);
        }
    }

    private static long? ReadLong(JsonElement obj, ReadOnlySpan<byte> name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }
        if (value.TryGetInt64(out var l))
        {
            return l;
        }
        return value.TryGetDouble(out var d) && double.IsFinite(d) ? (long)Math.Floor(d) : null;
    }
}
