using System.Text.Json;
using Gateway.Api.Errors;

namespace Gateway.Api.Endpoints;

/// <summary>Reads a JSON request body with a size bound; bad input becomes a 4xx in the route's dialect.</summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <returns>The body, or null when an error response was written.</returns>
    public static async Task<byte[]?> ReadAsync(HttpContext context, ErrorDialect dialect)
    {
        var request = context.Request;
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status415UnsupportedMediaType, $"Unsupported Content-Encoding '{encoding}'.");
            return null;
        }
        if (request.ContentLength is > MaxBytes)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status413PayloadTooLarge, "Request body is too large.");
            return null;
        }
        using var buffer = request.ContentLength is { } length ? new MemoryStream((int)length) : new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status413PayloadTooLarge, "Request body is too large.");
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest, "Request body is empty; expected a JSON object.");
            return null;
        }
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    public static Task WriteInvalidJsonAsync(HttpContext context, ErrorDialect dialect, JsonException? ex = null)
        => ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest,
            ex is null ? "Request body is not valid JSON: expected a JSON object." : $"Request body is not valid JSON: {ex.Message}",
            dialect == ErrorDialect.Anthropic ? null : "invalid_request_error");
}
