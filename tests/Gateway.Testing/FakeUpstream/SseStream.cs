using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// Writes a server-sent-event response (https://html.spec.whatwg.org/multipage/server-sent-events.html) straight into
/// the response pipe: each event's JSON goes through one reused <see cref="Utf8JsonWriter"/> and is flushed on its own,
/// as the upstreams do, so nothing is buffered. Applies the per-chunk delay and <see cref="Fault.DropAfterEvents"/>.
/// </summary>
internal sealed class SseStream
{
    private readonly FakeExchange _exchange;
    private readonly PipeWriter _pipe;
    private readonly TimeSpan _delay;
    private Utf8JsonWriter? _json;
    private int _events;

    private SseStream(FakeExchange exchange)
    {
        _exchange = exchange;
        _pipe = exchange.Context.Response.BodyWriter;
        _delay = exchange.State.ChunkDelay;
    }

    /// <summary>Sends the status line and headers at once, as Copilot does before the first event.</summary>
    public static async Task<SseStream> StartAsync(FakeExchange exchange)
    {
        var response = exchange.Context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(exchange.ClientGone);
        if (exchange.DropAfterEvents == 0)
        {
            throw exchange.Drop();
        }

        return new SseStream(exchange);
    }

    /// <summary>Starts an event (<c>event:</c> line only when <paramref name="name"/> is not empty) and returns the writer for its data.</summary>
    public Utf8JsonWriter Event(ReadOnlySpan<byte> name)
    {
        if (!name.IsEmpty)
        {
            _pipe.Write("event: "u8);
            _pipe.Write(name);
            _pipe.Write("\n"u8);
        }

        _pipe.Write("data: "u8);
        return _json = _exchange.Writer(_pipe);
    }

    /// <summary>Ends the event started by <see cref="Event"/> and sends it.</summary>
    public ValueTask EndAsync()
    {
        _json!.Flush();
        _pipe.Write("\n\n"u8);
        return SendAsync();
    }

    /// <summary>Sends the OpenAI end marker <c>data: [DONE]</c>.</summary>
    public ValueTask DoneAsync()
    {
        _pipe.Write("data: [DONE]\n\n"u8);
        return SendAsync();
    }

    private async ValueTask SendAsync()
    {
        if (_events > 0 && _delay > TimeSpan.Zero)
        {
            await Task.Delay(_delay, _exchange.Aborted);
        }

        var token = _exchange.ClientGone;
        await _pipe.FlushAsync(token);
        _events++;
        if (_events == _exchange.DropAfterEvents)
        {
            throw _exchange.Drop();
        }

        token.ThrowIfCancellationRequested();
    }
}
