using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// One request being answered: its context, the fields read from its body, its recording and the fault it carries.
/// Handlers write through it so every answer honours <see cref="Fault.DropAfterEvents"/> and cancellation alike.
/// </summary>
internal sealed class FakeExchange(HttpContext context, FakeUpstreamServer server, CancellationToken stopping) : IDisposable
{
    private Utf8JsonWriter? _json;
    private CancellationTokenSource? _linked;

    public HttpContext Context { get; } = context;

    public FakeUpstreamServer Server { get; } = server;

    public FakeUpstreamState State => Server.State;

    public RequestFields Fields;

    public RecordedRequest? Recording { get; set; }

    /// <summary>Set by a <see cref="Fault.DropAfterEvents"/> fault.</summary>
    public int? DropAfterEvents { get; set; }

    /// <summary>True once the fake itself cut the connection (a drop fault).</summary>
    public bool Dropped { get; private set; }

    /// <summary>The GitHub login of the request's GitHub token, on GitHub API routes.</summary>
    public string? Login { get; set; }

    public string? GitHubToken { get; set; }

    /// <summary>Cancelled when the client goes away; what writes and flushes observe.</summary>
    public CancellationToken ClientGone => Context.RequestAborted;

    /// <summary>
    /// Cancelled when the client goes away or the server stops: what waits (hangs, delays) observe, so disposing the
    /// server never waits for them. Linked lazily, so answers without waits allocate no token source.
    /// </summary>
    public CancellationToken Aborted
    {
        get
        {
            _linked ??= CancellationTokenSource.CreateLinkedTokenSource(Context.RequestAborted, stopping);
            return _linked.Token;
        }
    }

    /// <summary>Marks the recording aborted and tells waiters; safe to call more than once.</summary>
    public void OnAborted()
    {
        if (Recording is { Aborted: false } recording)
        {
            recording.MarkAborted();
            Server.NotifyAborted(recording);
        }
    }

    /// <summary>Cuts the connection now and unwinds the handler.</summary>
    public OperationCanceledException Drop()
    {
        Dropped = true;
        OnAborted();
        Context.Abort();
        return new OperationCanceledException("The fake upstream dropped the connection.");
    }

    /// <summary>A JSON writer over the response body, after the status and content type are set.</summary>
    public Utf8JsonWriter StartJson(int status = StatusCodes.Status200OK)
    {
        if (DropAfterEvents is not null)
        {
            throw Drop();
        }

        Context.Response.StatusCode = status;
        Context.Response.Headers.ContentType = "application/json";
        return Writer(Context.Response.BodyWriter);
    }

    /// <summary>Commits what <see cref="StartJson"/>'s writer wrote and sends it.</summary>
    public async Task EndJsonAsync()
    {
        _json!.Flush();
        await Context.Response.BodyWriter.FlushAsync(ClientGone);
    }

    /// <summary>Sends an answer serialised ahead of time.</summary>
    public async Task WriteJsonAsync(ReadOnlyMemory<byte> json, int status = StatusCodes.Status200OK)
    {
        StartJson(status);
        await Context.Response.BodyWriter.WriteAsync(json, ClientGone);
    }

    /// <summary>Sends a JSON body given as text (error bodies, fault bodies).</summary>
    public Task WriteJsonAsync(string json, int status) =>
        WriteJsonAsync(Encoding.UTF8.GetBytes(json), status);

    /// <summary>The response's reusable JSON writer, pointed at <paramref name="output"/>.</summary>
    public Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
        if (_json is null)
        {
            _json = new Utf8JsonWriter(output, FakeJson.WriterOptions);
        }
        else
        {
            _json.Reset(output);
        }

        return _json;
    }

    public void Dispose()
    {
        _json?.Dispose();
        _linked?.Dispose();
    }
}
