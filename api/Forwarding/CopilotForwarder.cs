using System.Net;
using System.Net.Http.Headers;
using Gateway.Api.Accounts;
using Gateway.Api.Errors;
using Gateway.Api.Usage;
using Gateway.Grains.GitHub;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Forwarding;

/// <summary>
/// Sends one request to Copilot on a pooled account (DESIGN §2 steps 3–5) and returns the upstream response once
/// its headers arrived with a 2xx status. Before the first byte reaches the client it handles, within a bounded
/// budget: a 401 (refresh the token once and retry, SPEC §2.3), a 429 (cool the account down and move to another
/// account, SPEC §16.2), connect failures and 5xx (another account). Anything left is answered in the route's
/// dialect (SPEC §17) and reported as <see cref="UpstreamResult.Handled"/>.
/// </summary>
public sealed partial class CopilotForwarder(
    UpstreamInvoker upstream,
    CopilotAccountPool pool,
    TenantAccountPools tenantPools,
    EditorVersion editorVersion,
    Diagnostics.GatewayMetrics metrics,
    IOptions<GatewayOptions> options,
    ILogger<CopilotForwarder> logger)
{
    private const int MaxAttempts = 3;
    private const int MaxErrorBodyBytes = 1 << 20;

    /// <param name="sessionId">The root session UUID: the request goes to the session's pinned account (SPEC §4.2).</param>
    public async Task<UpstreamResult> SendAsync(HttpContext context, ErrorDialect dialect, string? sessionId, Func<LeaseSelection, CopilotRequest?> build)
    {
        var ct = context.RequestAborted;
        var allowed = await tenantPools.GetAsync(Auth.AuthFilters.Caller(context).TenantId);
        List<string>? tried = null;
        var refreshed = false;
        LeaseSelection? retrySelection = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var selection = retrySelection ?? await pool.AcquireAsync(tried, sessionId, allowed, ct);
            retrySelection = null;
            if (selection.Lease is not { } lease)
            {
                await ApiErrors.WriteAsync(context, dialect, selection.Status, selection.Error ?? "No GitHub account available.", retryAfter: selection.RetryAfter);
                return UpstreamResult.Done;
            }
            if (context.Usage() is { } usage)
            {
                usage.Account = lease.Login;
            }
            var request = build(selection);
            if (request is null)
            {
                return UpstreamResult.Done; // the builder answered the client itself (e.g. a 400).
            }
            HttpResponseMessage response;
            using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            headersTimeout.CancelAfter(upstream.HeadersTimeout);
            try
            {
                response = await upstream.Invoker.SendAsync(CreateMessage(lease.CopilotBaseUrl, lease, request), headersTimeout.Token);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return UpstreamResult.ClientGone;
            }
            catch (OperationCanceledException)
            {
                await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status504GatewayTimeout, "Upstream did not answer in time.");
                return UpstreamResult.Done;
            }
            catch (HttpRequestException ex)
            {
                LogUpstreamFailed(logger, request.Path, ex.Message);
                if (attempt + 1 < MaxAttempts)
                {
                    // Prefer another account; with none left, the same one again (a reused pooled connection may
                    // simply have been closed by the upstream).
                    var others = new List<string>(tried ?? []) { lease.Login };
                    if (await HasOtherAccountAsync(others, allowed, ct))
                    {
                        tried = others;
                    }
                    continue;
                }
                await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status502BadGateway, "Could not reach the upstream: " + ex.Message);
                return UpstreamResult.Done;
            }

            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return new UpstreamResult(response, lease, selection.Catalog, false, false);
            }
            if (status == StatusCodes.Status401Unauthorized && !refreshed)
            {
                response.Dispose();
                refreshed = true;
                retrySelection = await pool.RefreshAfterUnauthorizedAsync(lease);
                attempt--; // the refresh retry does not use up an account attempt
                continue;
            }
            if (status == StatusCodes.Status429TooManyRequests)
            {
                var retryAfter = RetryAfter(response) ?? TimeSpan.FromSeconds(60);
                await pool.ReportRateLimitedAsync(lease.Login, retryAfter);
                metrics.AccountCooledDown();
                (tried ??= []).Add(lease.Login);
                if (attempt + 1 < MaxAttempts && await HasOtherAccountAsync(tried, allowed, ct))
                {
                    response.Dispose();
                    continue;
                }
            }
            else if (status >= 500 && attempt + 1 < MaxAttempts)
            {
                (tried ??= []).Add(lease.Login);
                if (await HasOtherAccountAsync(tried, allowed, ct))
                {
                    response.Dispose();
                    continue;
                }
            }
            using (response)
            {
                await WriteUpstreamErrorAsync(context, dialect, response, ct);
            }
            return UpstreamResult.Done;
        }
        await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status502BadGateway, "Upstream failed on every attempt.");
        return UpstreamResult.Done;
    }

    private async Task<bool> HasOtherAccountAsync(List<string> tried, IReadOnlyList<string>? allowed, CancellationToken ct)
        => (await pool.AcquireAsync(tried, allowed, ct)).Lease is not null;

    private HttpRequestMessage CreateMessage(string baseUrl, Grains.Abstractions.Accounts.AccountLease lease, CopilotRequest request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, baseUrl + request.Path)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        var content = new ReadOnlyMemoryContent(request.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Content = content;
        var headers = message.Headers;
        CopilotHeaders.ApplyCommon(headers, new CopilotHeaderContext(baseUrl, lease.CopilotToken, lease.MachineId, lease.DeviceId, lease.VscodeSessionId),
            options.Value.Copilot, editorVersion.Current);
        if (request.OmitIntegrationId)
        {
            headers.Remove("copilot-integration-id");
        }
        headers.TryAddWithoutValidation("openai-intent", "conversation-agent");
        headers.TryAddWithoutValidation("x-interaction-type", request.InteractionType);
        var requestId = request.RequestId ?? Guid.NewGuid().ToString();
        headers.TryAddWithoutValidation("x-request-id", requestId);
        headers.TryAddWithoutValidation("x-agent-task-id", requestId);
        if (request.InteractionId is { } interaction)
        {
            headers.TryAddWithoutValidation("x-interaction-id", interaction);
        }
        if (request.Initiator is { } initiator)
        {
            headers.TryAddWithoutValidation("x-initiator", initiator);
        }
        if (request.Vision)
        {
            headers.TryAddWithoutValidation("copilot-vision-request", "true");
        }
        foreach (var (name, value) in request.ExtraHeaders)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    /// <summary>
    /// SPEC §17: same status; a JSON body already in the route's dialect passes through, anything else is wrapped;
    /// on 429 the <c>retry-after</c> and upstream <c>x-*</c> headers are copied.
    /// </summary>
    private static async Task WriteUpstreamErrorAsync(HttpContext context, ErrorDialect dialect, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var body = await ReadBoundedAsync(response.Content, ct);
        var http = context.Response;
        if (status == StatusCodes.Status429TooManyRequests)
        {
            foreach (var header in response.Headers)
            {
                if (header.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("retry-after", StringComparison.OrdinalIgnoreCase))
                {
                    http.Headers[header.Key] = header.Value.ToArray();
                }
            }
        }
        http.StatusCode = status;
        http.ContentType = "application/json";
        if (IsDialectError(body, dialect))
        {
            http.ContentLength = body.Length;
            await http.Body.WriteAsync(body, ct);
            return;
        }
        var text = System.Text.Encoding.UTF8.GetString(body);
        if (text.Length == 0)
        {
            text = $"Upstream returned HTTP {status}.";
        }
        var wrapped = ApiErrors.Body(dialect, status, text, dialect == ErrorDialect.OpenAI ? "error" : null);
        http.ContentLength = wrapped.Length;
        await http.Body.WriteAsync(wrapped, ct);
    }

    private static bool IsDialectError(byte[] body, ErrorDialect dialect)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("error", out var error)
                || error.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return false;
            }
            return dialect == ErrorDialect.OpenAI
                ? error.TryGetProperty("message", out _)
                : root.TryGetProperty("type", out var type) && type.ValueEquals("error") && error.TryGetProperty("type", out _);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0 && buffer.Length < MaxErrorBodyBytes)
        {
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var retry = response.Headers.RetryAfter;
        if (retry?.Delta is { } delta)
        {
            return delta;
        }
        if (retry?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream call to {Path} failed: {Reason}")]
    private static partial void LogUpstreamFailed(ILogger logger, string path, string reason);
}

/// <summary>A 2xx upstream response to relay, or nothing left to do (an error was written or the client left).</summary>
public readonly record struct UpstreamResult(
    HttpResponseMessage? Response,
    Grains.Abstractions.Accounts.AccountLease? Lease,
    Catalog.ModelCatalog? Catalog,
    bool Handled,
    bool ClientDisconnected)
{
    public static readonly UpstreamResult Done = new(null, null, null, true, false);
    public static readonly UpstreamResult ClientGone = new(null, null, null, true, true);
}
