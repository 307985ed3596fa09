using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation;

/// <summary>
/// Relays an upstream response in another dialect (DESIGN §2 steps 4–5). Streams are parsed event by event with
/// <see cref="SseParser"/>, fed to an <see cref="IStreamTranslator"/>, and whatever it wrote is sent and flushed
/// before the next upstream read (<see cref="FlushBeforeReadStream"/>); nothing but the events of one read is held.
/// The idle timeout restarts with every upstream read.
/// </summary>
public static class TranslatingRelay
{
    private const int MaxJsonBodyBytes = 64 * 1024 * 1024;

    /// <summary>Upstream SSE → client SSE through <paramref name="translator"/>.</summary>
    public static async Task<RelayOutcome> RelayStreamAsync(HttpContext context, HttpResponseMessage upstream, IStreamTranslator translator, TimeSpan idleTimeout)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        ResponseRelay.SetEventStreamHeaders(response);
        var aborted = context.RequestAborted;
        var output = new ArrayBufferWriter<byte>(4096);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var usage = context.Usage();
        usage?.StreamStarted(context.Request.Path.Value ?? "");
        try
        {
            await response.StartAsync(aborted);
            await using var body = await upstream.Content.ReadAsStreamAsync(aborted);
            // Output is sent, and the idle timeout restarted, whenever the parser needs more upstream bytes.
            var source = new FlushBeforeReadStream(body, () => FlushAsync(response, output, aborted), () => idle.CancelAfter(idleTimeout));
            // The translator runs inside the parser's item callback, on the parser's own buffer: no copy of the event.
            var parser = SseParser.Create(source, (type, data) =>
            {
                translator.OnEvent(EventTypeBytes(type), data, output);
                return true;
            });
            await foreach (var _ in parser.EnumerateAsync(idle.Token))
            {
                if (translator.Completed)
                {
                    break;
                }
            }
            if (!translator.Completed)
            {
                translator.OnEnd(output);
            }
            await FlushAsync(response, output, aborted);
            return RelayOutcome.Completed;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return RelayOutcome.ClientDisconnected;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            output.Clear();
            translator.OnError(ex is OperationCanceledException ? "Upstream stream was idle for too long." : "Upstream stream failed: " + ex.Message, output);
            try
            {
                await FlushAsync(response, output, aborted);
            }
            catch (Exception inner) when (inner is IOException or OperationCanceledException)
            {
            }
            return RelayOutcome.UpstreamFailed;
        }
        finally
        {
            if (usage is not null)
            {
                usage.Tokens = translator.Usage;
                usage.StreamEnded();
            }
        }
    }

    /// <summary>Upstream JSON → client JSON through <paramref name="translate"/> (non-stream requests).</summary>
    public static async Task<TokenUsage?> RelayJsonAsync(HttpContext context, HttpResponseMessage upstream, ErrorDialect dialect, JsonTranslator translate)
    {
        var aborted = context.RequestAborted;
        byte[] json;
        try
        {
            json = await upstream.Content.ReadAsByteArrayAsync(aborted);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status502BadGateway, "Upstream response failed: " + ex.Message);
            return null;
        }
        if (json.Length > MaxJsonBodyBytes)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status502BadGateway, "Upstream response is too large.");
            return null;
        }
        var output = new ArrayBufferWriter<byte>(json.Length + 256);
        TokenUsage usage;
        try
        {
            using var writer = new System.Text.Json.Utf8JsonWriter(output, JsonOutput.WriterOptions);
            usage = translate(json, writer);
            writer.Flush();
        }
        catch (System.Text.Json.JsonException ex)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status502BadGateway, "Upstream returned an unreadable response: " + ex.Message);
            return null;
        }
        if (context.Usage() is { } tracked)
        {
            tracked.Tokens = usage;
            tracked.MarkFirstByte();
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = output.WrittenCount;
        await response.Body.WriteAsync(output.WrittenMemory, aborted);
        return usage;
    }

    private static async ValueTask FlushAsync(HttpResponse response, ArrayBufferWriter<byte> output, CancellationToken ct)
    {
        if (output.WrittenCount == 0)
        {
            return;
        }
        response.HttpContext.Usage()?.MarkFirstByte();
        await response.Body.WriteAsync(output.WrittenMemory, ct);
        await response.Body.FlushAsync(ct);
        output.Clear();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> EventTypes = new(StringComparer.Ordinal);

    /// <summary>UTF-8 of an event type; the handful of upstream event names are encoded once.</summary>
    private static ReadOnlySpan<byte> EventTypeBytes(string type)
        => type == SseParser.EventTypeDefault ? default
            : EventTypes.Count < 256 ? EventTypes.GetOrAdd(type, static t => Encoding.UTF8.GetBytes(t)) : Encoding.UTF8.GetBytes(type);
}

public delegate TokenUsage JsonTranslator(ReadOnlySpan<byte> upstreamJson, System.Text.Json.Utf8JsonWriter writer);

/// <summary>How translated JSON is written: no <c>\uXXXX</c> escaping of non-ASCII text or quotes (bodies are JSON, not HTML).</summary>
public static class JsonOutput
{
    public static readonly System.Text.Json.JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };
}
