using System.Buffers;
using System.Text.Json;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Translation.Responses;
using Gateway.Api.Usage;

namespace Gateway.Api.Responses;

/// <summary>How a <see cref="ResponsesRelay"/> run ended.</summary>
public enum ResponsesRelayOutcome
{
    Completed,
    ClientDisconnected,
    /// <summary>The upstream failed after the client got bytes (a stream error event was written, or the body cut).</summary>
    UpstreamFailed,
    /// <summary>The stream failed before any event reached the client and nothing was written: the caller may retry.</summary>
    FailedBeforeFirstEvent,
}

/// <summary>
/// Relays a Copilot <c>/responses</c> answer to the client (SPEC §11.2): the JSON body or the event stream as it came,
/// with the usage of the final response read on the way (<c>usage</c> of the body, or of <c>response.completed</c> /
/// <c>response.incomplete</c> in a stream; Anthropic semantics, SPEC §15.2). Streams are cut into events as bytes
/// arrive; unchanged events are written straight from the read buffer, the few whose <c>item_id</c> needs the §11.2
/// fix are rewritten, and the output is flushed after every read. Nothing is written before the first complete
/// event, so a stream that fails before it can be retried.
/// </summary>
public static class ResponsesRelay
{
    private const int BufferSize = 16 * 1024;
    private const int MaxEventBytes = 32 << 20;
    private const int MaxJsonUsageBytes = 8 << 20;

    /// <param name="canRetry">
    /// When false, a stream failing before its first event is answered with 502 here instead of
    /// <see cref="ResponsesRelayOutcome.FailedBeforeFirstEvent"/>.
    /// </param>
    public static Task<ResponsesRelayOutcome> RelayAsync(HttpContext context, HttpResponseMessage upstream, TimeSpan idleTimeout, bool canRetry)
    {
        var mediaType = upstream.Content.Headers.ContentType?.MediaType;
        return string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase)
            ? RelayStreamAsync(context, upstream, idleTimeout, canRetry)
            : RelayJsonAsync(context, upstream, idleTimeout);
    }

    private static async Task<ResponsesRelayOutcome> RelayStreamAsync(HttpContext context, HttpResponseMessage upstream, TimeSpan idleTimeout, bool canRetry)
    {
        var usage = context.Usage();
        var response = context.Response;
        var aborted = context.RequestAborted;
        var stream = new StreamState();
        var started = false;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var filled = 0;
        try
        {
            await using var body = await upstream.Content.ReadAsStreamAsync(aborted);
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxEventBytes)
                    {
                        throw new IOException("A stream event exceeded " + MaxEventBytes + " bytes.");
                    }
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                idle.CancelAfter(idleTimeout);
                var read = await body.ReadAsync(buffer.AsMemory(filled), idle.Token);
                var scanFrom = Math.Max(0, filled - 2);
                filled += read;
                var atEnd = read == 0;
                var consumed = 0;
                var runStart = 0;
                while (consumed < filled)
                {
                    var end = EventEnd(buffer.AsSpan(0, filled), Math.Max(consumed, scanFrom));
                    if (end < 0)
                    {
                        if (!atEnd)
                        {
                            break;
                        }
                        end = filled; // the last event lacks its blank line; relay it as it is.
                    }
                    if (!started)
                    {
                        started = true;
                        Start(context, upstream, usage);
                    }
                    if (stream.Process(buffer.AsSpan(consumed, end - consumed)) is { } rewritten)
                    {
                        await response.Body.WriteAsync(buffer.AsMemory(runStart, consumed - runStart), aborted);
                        await response.Body.WriteAsync(rewritten, aborted);
                        runStart = end;
                    }
                    consumed = end;
                }
                if (consumed > runStart)
                {
                    await response.Body.WriteAsync(buffer.AsMemory(runStart, consumed - runStart), aborted);
                }
                if (consumed > 0)
                {
                    await response.Body.FlushAsync(aborted);
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
                if (atEnd)
                {
                    break;
                }
            }
            if (!started)
            {
                return await FailedBeforeFirstEventAsync(context, canRetry, "Upstream stream ended before any event.");
            }
            return ResponsesRelayOutcome.Completed;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return ResponsesRelayOutcome.ClientDisconnected;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            var message = ex is OperationCanceledException ? "Upstream stream was idle for too long." : "Upstream stream failed: " + ex.Message;
            if (!started)
            {
                return await FailedBeforeFirstEventAsync(context, canRetry, message);
            }
            await ResponseRelay.WriteStreamErrorAsync(response, ErrorDialect.OpenAI, message, aborted);
            return ResponsesRelayOutcome.UpstreamFailed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (started && usage is not null)
            {
                if (stream.Tokens is { } tokens)
                {
                    usage.Tokens = tokens;
                }
                usage.StreamEnded();
            }
        }
    }

    private static void Start(HttpContext context, HttpResponseMessage upstream, RequestUsage? usage)
    {
        context.Response.StatusCode = (int)upstream.StatusCode;
        ResponseRelay.SetEventStreamHeaders(context.Response);
        usage?.StreamStarted(context.Request.Path.Value ?? "");
        usage?.MarkFirstByte();
    }

    private static async Task<ResponsesRelayOutcome> FailedBeforeFirstEventAsync(HttpContext context, bool canRetry, string message)
    {
        if (canRetry)
        {
            return ResponsesRelayOutcome.FailedBeforeFirstEvent;
        }
        await ApiErrors.WriteAsync(context, ErrorDialect.OpenAI, StatusCodes.Status502BadGateway, message);
        return ResponsesRelayOutcome.UpstreamFailed;
    }

    /// <summary>
    /// The offset just past the blank line ending the event that starts before <paramref name="from"/>, or -1 when
    /// the buffer holds no complete event yet. Events end with <c>\n\n</c> or <c>\r\n\r\n</c>.
    /// </summary>
    internal static int EventEnd(ReadOnlySpan<byte> buffer, int from)
    {
        var i = from;
        while (true)
        {
            var newline = buffer[i..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }
            newline += i;
            if (newline + 1 < buffer.Length && buffer[newline + 1] == '\n')
            {
                return newline + 2;
            }
            if (newline + 2 < buffer.Length && buffer[newline + 1] == '\r' && buffer[newline + 2] == '\n')
            {
                return newline + 3;
            }
            i = newline + 1;
        }
    }

    private static async Task<ResponsesRelayOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage upstream, TimeSpan idleTimeout)
    {
        var usage = context.Usage();
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        response.ContentType = upstream.Content.Headers.ContentType?.ToString() ?? "application/json";
        var encoded = upstream.Content.Headers.ContentEncoding.Count > 0;
        if (encoded)
        {
            response.Headers.ContentEncoding = upstream.Content.Headers.ContentEncoding.ToArray();
        }
        else if (upstream.Content.Headers.ContentLength is { } length)
        {
            response.ContentLength = length;
        }
        var aborted = context.RequestAborted;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var captured = usage is null || encoded ? null : new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var body = await upstream.Content.ReadAsStreamAsync(aborted);
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                var read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), idle.Token);
                if (read == 0)
                {
                    break;
                }
                if (captured is not null && captured.Length + read <= MaxJsonUsageBytes)
                {
                    captured.Write(buffer, 0, read);
                }
                usage?.MarkFirstByte();
                await response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
            }
            if (captured is not null && usage is not null && ReadUsage(captured.GetBuffer().AsSpan(0, (int)captured.Length), nested: false) is { } tokens)
            {
                usage.Tokens = tokens;
            }
            return ResponsesRelayOutcome.Completed;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return ResponsesRelayOutcome.ClientDisconnected;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // Mid-body there is no way to signal an error inside a JSON document: cut the connection.
            context.Abort();
            return ResponsesRelayOutcome.UpstreamFailed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The usage of a Responses object (<paramref name="nested"/> false) or of the <c>response</c> of a stream event,
    /// in Anthropic semantics; null when absent or not JSON.
    /// </summary>
    internal static TokenUsage? ReadUsage(ReadOnlySpan<byte> json, bool nested)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (nested && (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("response"u8, out root)))
            {
                return null;
            }
            return ResponsesUsage.TryRead(root, out var usage) ? usage.Tokens : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Per-stream state: the item id fix and the usage of the final response.</summary>
    private sealed class StreamState
    {
        private readonly ResponsesItemIdRewriter _rewriter = new();

        public TokenUsage? Tokens { get; private set; }

        /// <summary>Returns the rewritten event, or null when it passes unchanged.</summary>
        public byte[]? Process(ReadOnlySpan<byte> sseEvent)
        {
            if (!TryFindData(sseEvent, out var dataStart, out var dataEnd))
            {
                return null;
            }
            var data = sseEvent[dataStart..dataEnd];
            if (data.IndexOf("\"usage\""u8) >= 0
                && (data.IndexOf("\"response.completed\""u8) >= 0 || data.IndexOf("\"response.incomplete\""u8) >= 0)
                && ReadUsage(data, nested: true) is { } tokens)
            {
                Tokens = tokens;
            }
            if (!_rewriter.TryRewrite(data, out var rewrittenData))
            {
                return null;
            }
            var output = new byte[sseEvent.Length - data.Length + rewrittenData.Length];
            sseEvent[..dataStart].CopyTo(output);
            rewrittenData.CopyTo(output.AsSpan(dataStart));
            sseEvent[dataEnd..].CopyTo(output.AsSpan(dataStart + rewrittenData.Length));
            return output;
        }

        /// <summary>The value of the event's single-line <c>data:</c> field (one optional space after the colon is not data).</summary>
        private static bool TryFindData(ReadOnlySpan<byte> sseEvent, out int start, out int end)
        {
            start = end = 0;
            var at = sseEvent.StartsWith("data:"u8) ? 0 : sseEvent.IndexOf("\ndata:"u8) is var found and >= 0 ? found + 1 : -1;
            if (at < 0)
            {
                return false;
            }
            start = at + 5;
            if (start < sseEvent.Length && sseEvent[start] == ' ')
            {
                start++;
            }
            var newline = sseEvent[start..].IndexOf((byte)'\n');
            end = newline < 0 ? sseEvent.Length : start + newline;
            if (end > start && sseEvent[end - 1] == '\r')
            {
                end--;
            }
            return true;
        }
    }
}
