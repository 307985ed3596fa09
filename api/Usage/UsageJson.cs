using System.Globalization;
using System.Text.Json;

namespace Gateway.Api.Usage;

/// <summary>Shared pieces of the usage query responses (SPEC §15.3, §16.1).</summary>
internal static class UsageJson
{
    public static string FormatTime(DateTimeOffset value)
        => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary><c>requests</c>, the five token sums and <c>cost</c> per currency (models without a price add nothing).</summary>
    public static void WriteSums(Utf8JsonWriter writer, UsageSums sums)
    {
        writer.WriteNumber("requests", sums.Requests);
        writer.WriteNumber("input_tokens", sums.InputTokens);
        writer.WriteNumber("output_tokens", sums.OutputTokens);
        writer.WriteNumber("cache_read_input_tokens", sums.CacheReadInputTokens);
        writer.WriteNumber("cache_creation_input_tokens", sums.CacheCreationInputTokens);
        writer.WriteNumber("total_tokens", sums.TotalTokens);
        sums.Cost.WriteTo(writer);
    }
}
