using System.Net;
using System.Net.Http.Headers;
using Gateway.Api.Accounts;
using Gateway.Api.Errors;
using Gateway.Api.Usage;
using Gateway.Grains.GitHub;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Gateway.Api.Forwarding;

/// <summary>
/// Sends one request to Copilot on a pooled account (DESIGN §2 steps 3–5) and returns the upstream response once
/// its headers arrived with a 2xx status. Before the first byte reaches the client it handles, within a bounded
/// budget: a 401 (refresh the token once and retry, SPEC §2.3), a 429 (cool the account down and move to another
/// account, SPEC §16.2), connect failures and 5xx (another account). Anything left is answered in the route's
/// dialect (SPEC §17) and reported as <see cref="UpstreamResult.Handled"/>.
/// </summary>
/// <remarks>
/// The retry decision is a Polly retry strategy (issue #4 item 3) in one static pipeline: each attempt is "acquire a
/// lease → build the request → send → classify" (<see cref="ForwardAttempt"/>), and the strategy's
/// <c>ShouldHandle</c> decides from the classification and the per-request <see cref="ForwardState"/> whether to
/// go again. Nothing has been written to the client while an attempt can still be retried: an attempt that answers
/// the client itself (no account, 504, a builder error) is never retried.
/// </remarks>
public sealed partial class CopilotForwarder(
    UpstreamInvoker upstream,
    CopilotAccountPool pool,
    TenantAccountPools tenantPools,
    EditorVersion editorVersion,
    Diagnostics.GatewayMetrics metrics,
    IOptions<GatewayOptions> options,
    ILogger<CopilotForwarder> logger)
{
    /// <summary>Attempts on distinct accounts (or the same one again after a connect failure with none left).</summary>
    private const int MaxAttempts = 3;

    private static readonly ResiliencePropertyKey<ForwardState> StateKey = new("gateway.forwarding");

    /// <summary>
    /// Built once, run for the attempts after the first: with the first one, the account attempts plus the one free
    /// retry after a token refresh bound the executions; which outcomes go again, and on which account, is decided
    /// per request in <see cref="ShouldRetryAsync"/>. No delay: another account can be tried at once, and the client
    /// is waiting.
    /// </summary>
    private static readonly ResiliencePipeline<ForwardAttempt> Pipeline = new ResiliencePipelineBuilder<ForwardAttempt>()
        .AddRetry(new RetryStrategyOptions<ForwardAttempt>
        {
            MaxRetryAttempts = MaxAttempts - 1,
            Delay = TimeSpan.Zero,
            BackoffType = DelayBackoffType.Constant,
            UseJitter = false,
            ShouldHandle = static args => ShouldRetryAsync(args.Context, args.Outcome),
            OnRetry = static args =>
            {
                args.Outcome.Result.Response?.Dispose();
                return default;
            },
        })
        .Build();

    /// <param name="sessionId">The root session UUID: the request goes to the session's pinned account (SPEC §4.2).</param>
    public async Task<UpstreamResult> SendAsync(HttpContext context, ErrorDialect dialect, string? sessionId, Func<LeaseSelection, CopilotRequest?> build)
    {
        var ct = context.RequestAborted;
        var allowed = await tenantPools.GetAsync(Auth.AuthFilters.Caller(context).TenantId);
        var state = new ForwardState(this, context, dialect, sessionId, allowed, build);
        // The usual case, a first attempt that needs no retry, costs a plain call: Polly's pipeline allocates state
        // machines per execution, so it only runs once a retry is due. The decision is the same predicate either way.
        var last = await AttemptAsync(state);
        if (last.Verdict is AttemptVerdict.Success or AttemptVerdict.Answered)
        {
            return await FinishAsync(state, last);
        }
        var resilience = ResilienceContextPool.Shared.Get(ct);
        try
        {
            resilience.Properties.Set(StateKey, state);
            if (!await ShouldRetryAsync(resilience, Outcome.FromResult(last)))
            {
                return await FinishAsync(state, last);
            }
            last.Response?.Dispose();
            last = await Pipeline.ExecuteAsync(static (_, s) => s.Forwarder.AttemptAsync(s), resilience, state);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return UpstreamResult.ClientGone;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
        return await FinishAsync(state, last);
    }

    /// <summary>One attempt: lease, request, send, classify. Returns <see cref="AttemptVerdict.Answered"/> once the client got an answer.</summary>
    private async ValueTask<ForwardAttempt> AttemptAsync(ForwardState state)
    {
        var context = state.Context;
        var ct = context.RequestAborted;
        var selection = state.RetrySelection ?? await pool.AcquireAsync(state.Tried, state.SessionId, state.Allowed, ct);
        state.RetrySelection = null;
        if (selection.Lease is not { } lease)
        {
            await ApiErrors.WriteAsync(context, state.Dialect, selection.Status, selection.Error ?? "No GitHub account available.", retryAfter: selection.RetryAfter);
            return ForwardAttempt.Answered(UpstreamResult.Done);
        }
        if (context.Usage() is { } usage)
        {
            usage.Account = lease.Login;
        }
        var request = state.Build(selection);
        if (request is null)
        {
            return ForwardAttempt.Answered(UpstreamResult.Done); // the builder answered the client itself (e.g. a 400).
        }
        HttpResponseMessage response;
        using (var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            headersTimeout.CancelAfter(upstream.HeadersTimeout);
            try
            {
                response = await upstream.Invoker.SendAsync(CreateMessage(lease, request), headersTimeout.Token);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ForwardAttempt.Answered(UpstreamResult.ClientGone);
            }
            catch (OperationCanceledException)
            {
                await ApiErrors.WriteAsync(context, state.Dialect, StatusCodes.Status504GatewayTimeout, "Upstream did not answer in time.");
                return ForwardAttempt.Answered(UpstreamResult.Done);
            }
            catch (HttpRequestException ex)
            {
                LogUpstreamFailed(logger, request.Path, ex.Message);
                return new ForwardAttempt(AttemptVerdict.Unreachable, null, lease, null, ex.Message, default);
            }
        }
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return new ForwardAttempt(AttemptVerdict.Success, response, lease, selection.Catalog, null, default);
        }
        if (status == StatusCodes.Status401Unauthorized && !state.Refreshed)
        {
            response.Dispose();
            state.Refreshed = true;
            state.RetrySelection = await pool.RefreshAfterUnauthorizedAsync(lease);
            return new ForwardAttempt(AttemptVerdict.Unauthorized, null, lease, null, null, default);
        }
        if (status == StatusCodes.Status429TooManyRequests)
        {
            var retryAfter = RetryAfter(response) ?? TimeSpan.FromSeconds(60);
            await pool.ReportRateLimitedAsync(lease.Login, retryAfter);
            metrics.AccountCooledDown();
            state.Exclude(lease.Login);
            return new ForwardAttempt(AttemptVerdict.RateLimited, response, lease, null, null, default);
        }
        return new ForwardAttempt(status >= 500 ? AttemptVerdict.ServerError : AttemptVerdict.UpstreamError, response, lease, null, null, default);
    }

    /// <summary>
    /// The retry decision. A token refresh retries the same account without using up an attempt; a connect failure
    /// tries another account when one is left, else the same one again (a pooled connection may simply have been
    /// closed by the upstream); a 429 or 5xx tries another account only when one is available.
    /// </summary>
    private static async ValueTask<bool> ShouldRetryAsync(ResilienceContext context, Outcome<ForwardAttempt> outcome)
    {
        if (outcome.Exception is not null || !context.Properties.TryGetValue(StateKey, out var state))
        {
            return false;
        }
        var attempt = outcome.Result;
        var attemptsLeft = state.AccountAttempts + 1 < MaxAttempts;
        var forwarder = state.Forwarder;
        bool retry;
        switch (attempt.Verdict)
        {
            case AttemptVerdict.Unauthorized:
                return true;
            case AttemptVerdict.Unreachable:
                retry = attemptsLeft;
                if (retry)
                {
                    var others = new List<string>(state.Tried ?? []) { attempt.Lease!.Login };
                    if (await forwarder.HasOtherAccountAsync(others, state.Allowed, context.CancellationToken))
                    {
                        state.Tried = others;
                    }
                }
                break;
            case AttemptVerdict.RateLimited:
                retry = attemptsLeft && await forwarder.HasOtherAccountAsync(state.Tried!, state.Allowed, context.CancellationToken);
                break;
            case AttemptVerdict.ServerError when attemptsLeft:
                state.Exclude(attempt.Lease!.Login);
                retry = await forwarder.HasOtherAccountAsync(state.Tried!, state.Allowed, context.CancellationToken);
                break;
            default:
                return false;
        }
        if (retry)
        {
            state.AccountAttempts++;
        }
        return retry;
    }

    /// <summary>Turns the last attempt into the caller's result, answering the client when it failed.</summary>
    private static async Task<UpstreamResult> FinishAsync(ForwardState state, ForwardAttempt last)
    {
        var context = state.Context;
        switch (last.Verdict)
        {
            case AttemptVerdict.Success:
                return new UpstreamResult(last.Response, last.Lease, last.Catalog, false, false);
            case AttemptVerdict.Answered:
                return last.Result;
            case AttemptVerdict.Unreachable:
                await ApiErrors.WriteAsync(context, state.Dialect, StatusCodes.Status502BadGateway, "Could not reach the upstream: " + last.FailureMessage);
                return UpstreamResult.Done;
            case AttemptVerdict.RateLimited or AttemptVerdict.ServerError or AttemptVerdict.UpstreamError:
                using (last.Response)
                {
                    await UpstreamErrorResponse.WriteAsync(context, state.Dialect, last.Response!, context.RequestAborted);
                }
                return UpstreamResult.Done;
            default:
                await ApiErrors.WriteAsync(context, state.Dialect, StatusCodes.Status502BadGateway, "Upstream failed on every attempt.");
                return UpstreamResult.Done;
        }
    }

    private async Task<bool> HasOtherAccountAsync(List<string> tried, IReadOnlyList<string>? allowed, CancellationToken ct)
        => (await pool.AcquireAsync(tried, allowed, ct)).Lease is not null;

    private HttpRequestMessage CreateMessage(Grains.Abstractions.Accounts.AccountLease lease, CopilotRequest request)
    {
        var shared = LeaseHeaders.For(lease, options.Value.Copilot, editorVersion.Current);
        var message = new HttpRequestMessage(HttpMethod.Post, shared.UriFor(request.Path))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        var content = new ReadOnlyMemoryContent(request.Body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        message.Content = content;
        var headers = message.Headers;
        shared.ApplyTo(headers, request.OmitIntegrationId ? "copilot-integration-id" : null);
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

    /// <summary>One request's way through the attempts: its inputs and what the attempts so far have learned.</summary>
    private sealed class ForwardState(
        CopilotForwarder forwarder,
        HttpContext context,
        ErrorDialect dialect,
        string? sessionId,
        IReadOnlyList<string>? allowed,
        Func<LeaseSelection, CopilotRequest?> build)
    {
        public CopilotForwarder Forwarder { get; } = forwarder;

        public HttpContext Context { get; } = context;

        public ErrorDialect Dialect { get; } = dialect;

        public string? SessionId { get; } = sessionId;

        public IReadOnlyList<string>? Allowed { get; } = allowed;

        public Func<LeaseSelection, CopilotRequest?> Build { get; } = build;

        /// <summary>Accounts not to pick again (cooled down, failed).</summary>
        public List<string>? Tried { get; set; }

        /// <summary>The token was refreshed after a 401 already (once per request).</summary>
        public bool Refreshed { get; set; }

        /// <summary>The refreshed lease the next attempt uses instead of acquiring one.</summary>
        public LeaseSelection? RetrySelection { get; set; }

        /// <summary>Attempts that moved on to another account (a token refresh does not count).</summary>
        public int AccountAttempts { get; set; }

        public void Exclude(string login) => (Tried ??= []).Add(login);
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
