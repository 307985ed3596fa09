using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that answers as GitHub, the Copilot API and a provider would (see
/// <see cref="FakeRoutes"/>), records what it receives and injects faults. Point every upstream base URL of the
/// gateway (SPEC §0) at <see cref="BaseAddress"/>.
/// </summary>
public sealed class FakeUpstreamServer : IAsyncDisposable
{
    /// <summary>Copilot's 401 for a missing, unknown or expired token.</summary>
    private const string CopilotUnauthorized = """{"error":{"message":"unauthorized"}}""";

    private readonly FakeUpstreamOptions _options;
    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _recordings = new();
    private readonly List<(string Path, TaskCompletionSource<RecordedRequest> Waiter)> _abortWaiters = [];
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _pendingFaults;

    private FakeUpstreamServer(FakeUpstreamOptions options)
    {
        _options = options;
        State = new FakeUpstreamState(options.TimeProvider);
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>: GitHub, Copilot and provider paths all live here.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary><see cref="BaseUrl"/> without the trailing slash, the form configuration values take.</summary>
    public string BaseAddress { get; private set; } = null!;

    public FakeUpstreamState State { get; }

    /// <summary>A snapshot of the recordings, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _recordings.ToArray();
            }
        }
    }

    public static async Task<FakeUpstreamServer> StartAsync(FakeUpstreamOptions? options = null, CancellationToken ct = default)
    {
        var server = new FakeUpstreamServer(options ?? new FakeUpstreamOptions());
        await server.StartServerAsync(ct);
        return server;
    }

    /// <summary>An absolute URL on this server.</summary>
    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    /// <summary>The recordings of requests to exactly this path (no query), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string path)
    {
        lock (_gate)
        {
            return _recordings.Where(r => string.Equals(r.Path, path, StringComparison.Ordinal)).ToArray();
        }
    }

    public void ClearRecordings()
    {
        lock (_gate)
        {
            _recordings.Clear();
        }
    }

    /// <summary>The next <paramref name="times"/> requests to <paramref name="path"/> get <paramref name="fault"/>.</summary>
    public void EnqueueFault(string path, Fault fault, int times = 1)
    {
        var queue = _faults.GetOrAdd(path, static _ => new ConcurrentQueue<Fault>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(fault);
            Interlocked.Increment(ref _pendingFaults);
        }
    }

    /// <summary>Drops every queued fault.</summary>
    public void ClearFaults()
    {
        _faults.Clear();
        Volatile.Write(ref _pendingFaults, 0);
    }

    /// <summary>
    /// Completes with a request to <paramref name="path"/> whose client went away (or that a fault cut): the most
    /// recent one already aborted, else the next to abort. Needs <see cref="FakeUpstreamOptions.RecordRequests"/>.
    /// </summary>
    /// <exception cref="TimeoutException">No such request within <paramref name="timeout"/>.</exception>
    public async Task<RecordedRequest> WaitForAbortAsync(string path, TimeSpan timeout)
    {
        if (!_options.RecordRequests)
        {
            throw new InvalidOperationException("WaitForAbortAsync needs FakeUpstreamOptions.RecordRequests.");
        }

        var waiter = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var aborted = _recordings.LastOrDefault(r => r.Aborted && string.Equals(r.Path, path, StringComparison.Ordinal));
            if (aborted is not null)
            {
                return aborted;
            }

            _abortWaiters.Add((path, waiter));
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Expected a request to {path} to be aborted within {timeout}; requests to it: {RequestsTo(path).Count}, none aborted.");
        }
        finally
        {
            lock (_gate)
            {
                _abortWaiters.Remove((path, waiter));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        lock (_gate)
        {
            foreach (var (_, waiter) in _abortWaiters)
            {
                waiter.TrySetCanceled();
            }
        }

        _stopping.Dispose();
    }

    internal void NotifyAborted(RecordedRequest recording)
    {
        lock (_gate)
        {
            foreach (var (path, waiter) in _abortWaiters)
            {
                if (string.Equals(path, recording.Path, StringComparison.Ordinal))
                {
                    waiter.TrySetResult(recording);
                }
            }
        }
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeUpstreamServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, _options.Port);
        });
        // A flush completes only once the socket has taken every byte (pause at 2, resume below 1), so the events a
        // DropAfterEvents fault promises have left the process before HttpContext.Abort() discards the output pipe.
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.MaxWriteBufferSize = 2);
        _app = builder.Build();
        _app.Run(DispatchAsync);
        await _app.StartAsync(ct);

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        BaseAddress = $"http://127.0.0.1:{port}";
        BaseUrl = new Uri(BaseAddress + "/");
    }

    /// <summary>
    /// Every request: 1 read the whole body (requests are small; the response is what streams), 2 record it,
    /// 3 resolve the route and read the body fields, 4 apply a queued or model-named fault, 5 check credentials the
    /// way the real upstream does, 6 answer.
    /// </summary>
    private async Task DispatchAsync(HttpContext context)
    {
        var exchange = new FakeExchange(context, this, _stopping.Token);
        var registration = default(CancellationTokenRegistration);
        try
        {
            var request = context.Request;
            var path = request.Path.Value ?? "/";
            FakeRoutes.All.TryGetValue(path, out var route);

            var bodyReader = request.BodyReader;
            var body = await ReadBodyAsync(bodyReader, context.RequestAborted);
            string? badBody = null;
            try
            {
                if (_options.RecordRequests)
                {
                    exchange.Recording = Record(context, path, body);
                    registration = context.RequestAborted.UnsafeRegister(static s => ((FakeExchange)s!).OnAborted(), exchange);
                }

                if (route is { ParsesBody: true })
                {
                    exchange.Fields = RequestFields.Parse(body, route.CollectsInputs);
                }
            }
            catch (JsonException e)
            {
                badBody = $"The request body is not valid JSON: {e.Message}";
            }
            finally
            {
                bodyReader.AdvanceTo(body.End);
            }

            if (route is null)
            {
                await exchange.WriteJsonAsync(ErrorBody(ErrorDialect.OpenAi, "not_found_error", $"The fake upstream has no route {request.Method} {path}."), StatusCodes.Status404NotFound);
                return;
            }

            if (!string.Equals(route.Method, request.Method, StringComparison.OrdinalIgnoreCase))
            {
                await exchange.WriteJsonAsync(ErrorBody(route.Dialect, "invalid_request_error", $"{path} takes {route.Method}."), StatusCodes.Status405MethodNotAllowed);
                return;
            }

            badBody ??= route.RequiresModel && exchange.Fields.Model is null ? "'model' is required." : null;
            if (badBody is not null)
            {
                await exchange.WriteJsonAsync(ErrorBody(route.Dialect, "invalid_request_error", badBody), StatusCodes.Status400BadRequest);
                return;
            }

            switch (TakeFault(path) ?? Fault.FromModelName(exchange.Fields.Model))
            {
                case StatusFault status:
                    await WriteStatusFaultAsync(exchange, status);
                    return;
                case HangFault:
                    await Task.Delay(Timeout.Infinite, exchange.Aborted);
                    return;
                case EmptyStreamFault:
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.StartAsync(exchange.Aborted);
                    return;
                case SlowFirstByteFault slow:
                    await Task.Delay(slow.Delay, exchange.Aborted);
                    break;
                case DropAfterEventsFault drop:
                    exchange.DropAfterEvents = drop.Events;
                    break;
            }

            if (Authorize(exchange, route) is { } unauthorized)
            {
                await exchange.WriteJsonAsync(unauthorized, StatusCodes.Status401Unauthorized);
                return;
            }

            await route.Handler(exchange);
        }
        catch (OperationCanceledException) when (exchange.Dropped || context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // The client left, a drop fault cut the connection, or the server is stopping: nothing more to send.
            // When stopping, cut the connection so a hanging request ends as it would on a real upstream shutdown.
            if (_stopping.IsCancellationRequested)
            {
                context.Abort();
            }
        }
        finally
        {
            registration.Dispose();
            exchange.Dispose();
        }
    }

    private static async ValueTask<ReadOnlySequence<byte>> ReadBodyAsync(PipeReader reader, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            if (result.IsCompleted || result.IsCanceled)
            {
                return result.Buffer;
            }

            // Nothing consumed yet: ask for more until the whole body is buffered.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private RecordedRequest Record(HttpContext context, string path, in ReadOnlySequence<byte> body)
    {
        var request = context.Request;
        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = Join(values);
        }

        var recording = new RecordedRequest(
            request.Method,
            path,
            request.QueryString.Value ?? "",
            headers,
            body.ToArray(),
            _options.TimeProvider.GetUtcNow());
        lock (_gate)
        {
            _recordings.Enqueue(recording);
            while (_recordings.Count > _options.MaxRecordings)
            {
                _recordings.Dequeue();
            }
        }

        return recording;
    }

    private static string Join(StringValues values) => values.Count == 1 ? values[0] ?? "" : string.Join(", ", values.ToArray());

    private Fault? TakeFault(string path)
    {
        if (Volatile.Read(ref _pendingFaults) == 0
            || !_faults.TryGetValue(path, out var queue)
            || !queue.TryDequeue(out var fault))
        {
            return null;
        }

        Interlocked.Decrement(ref _pendingFaults);
        return fault;
    }

    private static async Task WriteStatusFaultAsync(FakeExchange exchange, StatusFault fault)
    {
        var response = exchange.Context.Response;
        foreach (var (name, value) in fault.Headers)
        {
            response.Headers[name] = value;
        }

        var trimmed = fault.Body.AsSpan().TrimStart();
        if (trimmed.StartsWith("{") || trimmed.StartsWith("["))
        {
            await exchange.WriteJsonAsync(fault.Body, fault.StatusCode);
            return;
        }

        response.StatusCode = fault.StatusCode;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(fault.Body, exchange.ClientGone);
    }

    /// <summary>Null when the request may proceed, else the 401 body the real upstream would send.</summary>
    private string? Authorize(FakeExchange exchange, FakeRoute route)
    {
        var headers = exchange.Context.Request.Headers;
        switch (route.Auth)
        {
            case UpstreamAuth.GitHub:
                var githubToken = Credential(headers.Authorization, "token ") ?? Credential(headers.Authorization, "Bearer ");
                var login = githubToken is null ? null : State.LoginFor(githubToken);
                if (login is null)
                {
                    return GitHubHandlers.BadCredentials;
                }

                exchange.GitHubToken = githubToken;
                exchange.Login = login;
                return null;
            case UpstreamAuth.Copilot:
                return CopilotAuthorized(headers) ? null : CopilotUnauthorized;
            case UpstreamAuth.Provider:
                return ProviderAuthorized(headers) ? null : ProviderUnauthorized(route.Dialect);
            case UpstreamAuth.CopilotOrProvider:
                // Copilot requests carry the editor headers of SPEC §2.4 and a tid= token; a request with an x-api-key
                // or another bearer key is a provider call; one with no credential at all is judged as Copilot.
                var bearer = Credential(headers.Authorization, "Bearer ");
                var copilot = StringValues.IsNullOrEmpty(headers["x-api-key"])
                    && (bearer is null || headers.ContainsKey("editor-version") || bearer.StartsWith("tid=", StringComparison.Ordinal));
                if (copilot)
                {
                    return CopilotAuthorized(headers) ? null : CopilotUnauthorized;
                }

                return ProviderAuthorized(headers) ? null : ProviderUnauthorized(route.Dialect);
            default:
                return null;
        }
    }

    private bool CopilotAuthorized(IHeaderDictionary headers)
    {
        if (!State.RequireValidCopilotToken)
        {
            return true;
        }

        var token = Credential(headers.Authorization, "Bearer ");
        return token is not null && State.IsValidCopilotToken(token);
    }

    private bool ProviderAuthorized(IHeaderDictionary headers)
    {
        var apiKey = headers["x-api-key"].ToString();
        var key = apiKey.Length > 0 ? apiKey : Credential(headers.Authorization, "Bearer ");
        return key is not null && State.IsProviderKeyAccepted(key);
    }

    private static string ProviderUnauthorized(ErrorDialect dialect) =>
        ErrorBody(dialect, dialect == ErrorDialect.Anthropic ? "authentication_error" : "invalid_request_error", "Invalid API key.");

    private static string? Credential(StringValues header, string scheme)
    {
        var value = header.ToString();
        return value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && value.Length > scheme.Length
            ? value[scheme.Length..].Trim()
            : null;
    }

    private static string ErrorBody(ErrorDialect dialect, string type, string message)
    {
        var encoded = JsonEncodedText.Encode(message, FakeJson.WriterOptions.Encoder).ToString();
        return dialect switch
        {
            ErrorDialect.Anthropic => $$$"""{"type":"error","error":{"type":"{{{type}}}","message":"{{{encoded}}}"}}""",
            ErrorDialect.GitHub => $$"""{"message":"{{encoded}}","documentation_url":"https://docs.github.com/rest"}""",
            _ => $$$"""{"error":{"message":"{{{encoded}}}","type":"{{{type}}}","param":null,"code":null}}""",
        };
    }
}
