using System.Buffers;
using System.Text.Json;
using Gateway.Api.Errors;

namespace Gateway.Api.Admin;

/// <summary>Results of admin handlers: JSON written with <see cref="Utf8JsonWriter"/>, and OpenAI-shape errors (SPEC §17).</summary>
internal static class AdminResults
{
    public static IResult Json(int status, Action<Utf8JsonWriter> write) => new JsonWriterResult(status, write);

    public static IResult Ok(Action<Utf8JsonWriter> write) => new JsonWriterResult(StatusCodes.Status200OK, write);

    /// <summary>200 with a JSON array of the items that exist (nulls — entries deleted meanwhile — are skipped).</summary>
    public static IResult OkArray<T>(IEnumerable<T?> items, Action<Utf8JsonWriter, T> writeItem) where T : class
        => Ok(w =>
        {
            w.WriteStartArray();
            foreach (var item in items)
            {
                if (item is not null)
                {
                    writeItem(w, item);
                }
            }
            w.WriteEndArray();
        });

    public static IResult Error(int status, string message) => new ErrorResult(status, message);

    public static IResult BadRequest(string message) => new ErrorResult(StatusCodes.Status400BadRequest, message);

    public static IResult NotFound(string message) => new ErrorResult(StatusCodes.Status404NotFound, message);

    private sealed class JsonWriterResult(int status, Action<Utf8JsonWriter> write) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                write(writer);
            }
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json";
            response.ContentLength = buffer.WrittenCount;
            await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
        }
    }

    private sealed class ErrorResult(int status, string message) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) => ApiErrors.WriteAsync(httpContext, ErrorDialect.OpenAI, status, message);
    }

    // Admin bodies are JSON for tools, never HTML: keep '<', '+' and non-ASCII names readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
