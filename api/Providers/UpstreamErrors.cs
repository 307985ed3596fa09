using System.Text.Json;
using Gateway.Api.Errors;

namespace Gateway.Api.Providers;

/// <summary>Whether an upstream error body is already in the route's dialect (SPEC §17), so it may pass through.</summary>
internal static class UpstreamErrors
{
    public static bool IsDialectError(byte[] body, ErrorDialect dialect)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            return dialect == ErrorDialect.OpenAI
                ? error.TryGetProperty("message", out _)
                : root.TryGetProperty("type", out var type) && type.ValueEquals("error") && error.TryGetProperty("type", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
