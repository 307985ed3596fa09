using System.Buffers;
using Gateway.Api.Errors;
using Gateway.Api.Usage;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Api.Forwarding;

/// <summary>
/// Relays an upstream body to the client unchanged (same-dialect routes, DESIGN §2 step 5). Server-sent events are
/// flushed after every read, so each event reaches the client as soon as its bytes arrive; nothing is buffered
/// beyond one read. Idle timeouts apply per read, never to the whole response. A client disconnect cancels the
/// upstream read (and so the upstream request).
/// </summary>
public static class ResponseRelay
{
    private const int BufferSize = 16 * 1024;
    private const int MaxUnflushedBytes = 64 * 1024;

    public static void SetEventStreamHeaders(HttpResponse response)
    {
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["x-accel-buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <returns>True when the whole body was relayed; false when the client left or the upstream failed mid-way.</returns>
    public static async Task<RelayOutcome> RelayAsync(HttpContext context, HttpResponseMessage upstream, TimeSpan idleTimeout, ErrorDialect dialect)
    {
        var usage = context.Usage();
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        var contentType = upstream.Content.Headers.ContentType?.MediaType;
        var isEventStream = string.Equals(contentType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        if (isEventStream)
        {
            SetEventStreamHeaders(response);
        }
        else
        {
            response.ContentType = upstream.Content.Headers.ContentType?.ToString() ?? "application/json";
            if (upstream.Content.Headers.ContentLength is { } length && upstream.Content.Headers.ContentEncoding.Count == 0)
            {
                response.ContentLength = length;
            }
        }
        if (upstream.Content.Headers.ContentEncoding.Count > 0)
        {
            response.Headers.ContentEncoding = upstream.Content.Headers.ContentEncoding.ToArray();
        }

        var aborted = context.RequestAborted;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var scanner = usage is null ? null : new UsageScanner(isEventStream);
        if (isEventStream)
        {
            usage?.StreamStarted(context.Request.Path.Value ?? "");
        }
        try
        {
            await using var body = await upstream.Content.ReadAsStreamAsync(aborted);
            // Upstream bytes are read straight into the response pipe's memory: no intermediate buffer, no copy.
            var writer = response.BodyWriter;
            var unflushed = 0;
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                var memory = writer.GetMemory(BufferSize);
                var read = await body.ReadAsync(memory, idle.Token);
                if (read == 0)
                {
                    break;
                }
                scanner?.Feed(memory.Span[..read]);
                usage?.MarkFirstByte();
                writer.Advance(read);
                unflushed += read;
                // Events go out as they come; a JSON body is sent in one go at the end (one write to the client
                // instead of one per upstream read), or whenever a large body has gathered enough to bound memory.
                if (isEventStream || unflushed >= MaxUnflushedBytes)
                {
                    await writer.FlushAsync(aborted);
                    unflushed = 0;
                }
            }
            if (!isEventStream)
            {
                // Sends what is left together with the end of the response (the last chunk of a chunked body).
                await response.CompleteAsync();
            }
            return RelayOutcome.Completed;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return RelayOutcome.ClientDisconnected;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            var message = ex is OperationCanceledException ? "Upstream stream was idle for too long." : "Upstream stream failed: " + ex.Message;
            if (isEventStream)
            {
                await WriteStreamErrorAsync(response, dialect, message, aborted);
            }
            else
            {
                context.Abort();
            }
            return RelayOutcome.UpstreamFailed;
        }
        finally
        {
            if (usage is not null && scanner is not null)
            {
                scanner.Complete();
                usage.Tokens = scanner.Usage;
                usage.StreamEnded();
            }
        }
    }

    /// <summary>
    /// An error after the first byte, in the stream's own dialect (SPEC §17): OpenAI streams end with
    /// <c>data: {"error":{…}}</c>; Anthropic streams with <c>event: error</c>.
    /// </summary>
    public static async Task WriteStreamErrorAsync(HttpResponse response, ErrorDialect dialect, string message, CancellationToken ct)
    {
        try
        {
            var json = ApiErrors.Body(dialect, 500, message, dialect == ErrorDialect.Anthropic ? "api_error" : "error");
            var writer = new ArrayBufferWriter<byte>(json.Length + 32);
            Translation.SseWriter.WriteRawEvent(writer, dialect == ErrorDialect.Anthropic ? "error"u8 : default, json);
            await response.Body.WriteAsync(writer.WrittenMemory, ct);
            await response.Body.FlushAsync(ct);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client is gone too; nothing more to tell it.
        }
    }
}

public enum RelayOutcome
{
    Completed,
    ClientDisconnected,
    UpstreamFailed,
}
