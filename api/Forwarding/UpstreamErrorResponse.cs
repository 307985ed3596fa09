using System.Text.Json;
using Gateway.Api.Errors;

namespace Gateway.Api.Forwarding;

/// <summary>
/// An upstream's non-2xx answer, relayed to the client (SPEC §17) by the Copilot and the provider forwarders alike:
/// same status; a JSON body already in the route's dialect passes through, anything else is wrapped; on 429 the
/// <c>retry-after</c> and upstream <c>x-*</c> headers are copied. At most 1 MiB of the body is read.
/// </summary>
public static class UpstreamErrorResponse
{
    private const int MaxBodyBytes = 1 << 20;

    public static async Task WriteAsync(HttpContext context, ErrorDialect dialect, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var body = await ReadBoundedAsync(response.Content, ct);
        var http = context.Response;
        if (status == StatusCodes.Status429TooManyRequests)
        {
            foreach (var header in response.Headers)
            {
                if (header.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("retry-after", StringComparison.OrdinalIgnoreCase))
                {
                    http.Headers[header.Key] = header.Value.ToArray();
                }
            }
        }
        http.StatusCode = status;
        http.ContentType = "application/json";
        if (IsDialectError(body, dialect))
        {
            http.ContentLength = body.Length;
            await http.Body.WriteAsync(body, ct);
            return;
        }
        var text = System.Text.Encoding.UTF8.GetString(body);
        if (text.Length == 0)
        {
            text = $"Upstream returned HTTP {status}.";
        }
        var wrapped = ApiErrors.Body(dialect, status, text, dialect == ErrorDialect.OpenAI ? "error" : null);
        http.ContentLength = wrapped.Length;
        await http.Body.WriteAsync(wrapped, ct);
    }

    /// <summary>The body is a JSON error object of <paramref name="dialect"/>'s shape.</summary>
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

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxBodyBytes && (read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
