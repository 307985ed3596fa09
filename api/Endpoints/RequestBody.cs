using System.Text.Json;
using Gateway.Api.Errors;

namespace Gateway.Api.Endpoints;

/// <summary>
/// Reads a JSON request body with a size bound; bad input becomes a 4xx in the route's dialect. Bodies sent with
/// <c>Content-Encoding: zstd</c> (Codex CLI does so on <c>/v1/responses</c>) are decompressed, under the same bound
/// for the decompressed size; any other encoding is 415 (SPEC §1.3).
/// </summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <returns>The body, or null when an error response was written.</returns>
    public static async Task<byte[]?> ReadAsync(HttpContext context, ErrorDialect dialect)
    {
        var encoding = context.Request.Headers.ContentEncoding.ToString().Trim();
        var zstd = encoding.Equals("zstd", StringComparison.OrdinalIgnoreCase);
        if (encoding.Length > 0 && !zstd && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status415UnsupportedMediaType, $"Unsupported Content-Encoding '{encoding}'.");
            return null;
        }
        if (await ReadRawAsync(context, dialect) is not { } raw)
        {
            return null;
        }
        return zstd ? await DecompressAsync(context, dialect, raw) : raw;
    }

    private static async Task<byte[]?> DecompressAsync(HttpContext context, ErrorDialect dialect, byte[] compressed)
    {
        using var output = new MemoryStream(Math.Min(MaxBytes, compressed.Length * 4));
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var input = new ZstdSharp.DecompressionStream(new MemoryStream(compressed, writable: false));
            int read;
            while ((read = await input.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                // The bound applies to what the body expands to, so a small compressed body cannot exhaust memory.
                if (output.Length + read > MaxBytes)
                {
                    await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status413PayloadTooLarge, "Request body is too large once decompressed.");
                    return null;
                }
                output.Write(chunk, 0, read);
            }
        }
        catch (ZstdSharp.ZstdException ex)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest, $"Request body is not valid zstd data: {ex.Message}",
                dialect == ErrorDialect.Anthropic ? null : "invalid_request_error");
            return null;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        if (output.Length == 0)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest, "Request body is empty; expected a JSON object.");
            return null;
        }
        return output.ToArray();
    }

    private static async Task<byte[]?> ReadRawAsync(HttpContext context, ErrorDialect dialect)
    {
        var request = context.Request;
        if (request.ContentLength is > MaxBytes)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status413PayloadTooLarge, "Request body is too large.");
            return null;
        }
        if (request.ContentLength is { } length)
        {
            // The usual case: read straight into an array of the announced size, no intermediate copies.
            if (length == 0)
            {
                await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest, "Request body is empty; expected a JSON object.");
                return null;
            }
            var exact = new byte[length];
            var filled = 0;
            while (filled < exact.Length)
            {
                var n = await request.Body.ReadAsync(exact.AsMemory(filled), context.RequestAborted);
                if (n == 0)
                {
                    await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest, "Request body is shorter than its Content-Length.");
                    return null;
                }
                filled += n;
            }
            return exact;
        }
        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
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
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        if (buffer.Length == 0)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest, "Request body is empty; expected a JSON object.");
            return null;
        }
        return buffer.ToArray();
    }

    public static Task WriteInvalidJsonAsync(HttpContext context, ErrorDialect dialect, JsonException? ex = null)
        => ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest,
            ex is null ? "Request body is not valid JSON: expected a JSON object." : $"Request body is not valid JSON: {ex.Message}",
            dialect == ErrorDialect.Anthropic ? null : "invalid_request_error");
}
