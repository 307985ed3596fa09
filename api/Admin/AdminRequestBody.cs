using System.Text.Json;

namespace Gateway.Api.Admin;

/// <summary>Reads the (small) JSON body of an admin request.</summary>
internal static class AdminRequestBody
{
    private const int MaxBytes = 1 << 20;

    /// <summary>
    /// The body as a JSON document, or an error message naming the problem. An empty body counts as <c>{}</c> when
    /// <paramref name="allowEmpty"/> (optional-body routes such as rotate).
    /// </summary>
    public static async Task<(JsonDocument? Document, string? Error)> ReadObjectAsync(HttpRequest request, bool allowEmpty)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length > MaxBytes)
        {
            return (null, "request body is too large");
        }
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return allowEmpty ? (JsonDocument.Parse("{}"), null) : (null, "request body must be a JSON object");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException)
        {
            return (null, "request body must be a JSON object");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, "request body must be a JSON object");
        }
        return (document, null);
    }
}
