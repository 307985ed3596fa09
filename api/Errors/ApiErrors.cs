using System.Text.Json;

namespace Gateway.Api.Errors;

/// <summary>The two error dialects of SPEC §17.</summary>
public enum ErrorDialect
{
    OpenAI,
    Anthropic,
}

/// <summary>Writes error bodies in the route's dialect (SPEC §17) and the shared 401 of SPEC §1.2.</summary>
public static class ApiErrors
{
    public const string UnauthorizedMessage = "Unauthorized. Provide Authorization: Bearer <key> or x-api-key.";

    /// <summary>Anthropic <c>error.type</c> by status (SPEC §17).</summary>
    public static string AnthropicType(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        _ => status >= 500 ? "api_error" : "invalid_request_error",
    };

    /// <summary>OpenAI <c>error.type</c> for errors the gateway itself raises.</summary>
    public static string OpenAIType(int status) => status switch
    {
        400 or 404 or 413 or 415 => "invalid_request_error",
        401 => "unauthorized",
        429 => "rate_limit_error",
        _ => "error",
    };

    public static ErrorDialect DialectFor(PathString path)
    {
        var value = path.Value ?? "";
        // /v1/messages*, and /:provider/v1/messages*.
        return value.StartsWith("/v1/messages", StringComparison.Ordinal) || value.Contains("/v1/messages", StringComparison.Ordinal)
            ? ErrorDialect.Anthropic
            : ErrorDialect.OpenAI;
    }

    public static byte[] Body(ErrorDialect dialect, int status, string message, string? type = null, string? code = null)
    {
        using var buffer = new MemoryStream(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteBody(writer, dialect, status, message, type, code);
        }
        return buffer.ToArray();
    }

    // Error messages are JSON bodies, never HTML: quotes and apostrophes need no \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="type">Overrides the type of the status; <paramref name="code"/> is the OpenAI <c>code</c> (else null).</param>
    public static void WriteBody(Utf8JsonWriter writer, ErrorDialect dialect, int status, string message, string? type = null, string? code = null)
    {
        writer.WriteStartObject();
        if (dialect == ErrorDialect.Anthropic)
        {
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", type ?? AnthropicType(status));
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type ?? OpenAIType(status));
            writer.WriteNull("param");
            if (code is null)
            {
                writer.WriteNull("code");
            }
            else
            {
                writer.WriteString("code", code);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    public static Task WriteAsync(HttpContext context, int status, string message, string? type = null, TimeSpan? retryAfter = null)
        => WriteAsync(context, DialectFor(context.Request.Path), status, message, type, retryAfter);

    public static async Task WriteAsync(
        HttpContext context, ErrorDialect dialect, int status, string message, string? type = null, TimeSpan? retryAfter = null, string? code = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var body = Body(dialect, status, message, type, code);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The 401 of SPEC §1.2, the same on every route.</summary>
    public static async Task WriteUnauthorizedAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer realm=\"gateway-cluster\"";
        response.ContentType = "application/json";
        await response.Body.WriteAsync(UnauthorizedBody, context.RequestAborted);
    }

    private static readonly byte[] UnauthorizedBody =
        """{"error":{"message":"Unauthorized. Provide Authorization: Bearer <key> or x-api-key.","type":"unauthorized"}}"""u8.ToArray();
}
