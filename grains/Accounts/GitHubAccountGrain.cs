using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.GitHub;
using Gateway.Grains.Options;
using Gateway.Grains.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Grains.Accounts;

/// <summary>
/// One GitHub account (DESIGN §3). Not reentrant: the single activation serialises refreshes, so at most one token
/// exchange per account is in flight across the cluster.
/// </summary>
public sealed class GitHubAccountGrain(
    [PersistentState("account", "gateway")] IPersistentState<GitHubAccountState> state,
    GitHubClient gitHub,
    SecretProtector protector,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    Diagnostics.GrainMetrics metrics,
    ILogger<GitHubAccountGrain> logger) : Grain, IGitHubAccountGrain
{
    private string? _githubToken;
    private string? _copilotToken;
    private string _vscodeSessionId = "";
    private DateTimeOffset _vscodeSessionRotateAt;
    private string? _catalogJson;
    private long _catalogVersion;
    private DateTimeOffset _catalogFetchedAt;
    private IGrainTimer? _refreshTimer;
    private IGrainTimer? _catalogTimer;

    private string Login => this.GetPrimaryKeyString();

    private bool IsRegistered => state.State.EncryptedGithubToken is not null;

    private bool IsOpencode => string.Equals(options.Value.Copilot.OauthApp, "opencode", StringComparison.OrdinalIgnoreCase);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (IsRegistered)
        {
            _githubToken = protector.Unprotect(state.State.EncryptedGithubToken!);
            _copilotToken = state.State.EncryptedCopilotToken is { } c ? protector.Unprotect(c) : null;
            // Refresh (or fetch the catalogue) right after activation without failing the activation itself.
            ScheduleRefresh(state.State.RefreshDueAt ?? time.GetUtcNow());
            ScheduleCatalog(TimeSpan.Zero);
        }
        return Task.CompletedTask;
    }

    public async Task<AccountRegistrationResult> RegisterAsync(string githubToken)
    {
        if (string.IsNullOrWhiteSpace(githubToken))
        {
            return new AccountRegistrationResult(false, "githubToken must not be empty.", null);
        }
        var previousToken = _githubToken;
        _githubToken = githubToken.Trim();
        var error = await RefreshCopilotTokenAsync(persist: false);
        if (error is not null)
        {
            _githubToken = previousToken;
            return new AccountRegistrationResult(false, error, null);
        }
        var s = state.State;
        s.EncryptedGithubToken = protector.Protect(_githubToken);
        if (s.MachineId.Length == 0)
        {
            s.MachineId = MachineIdentity.CreateMachineId(standalone: !options.Value.IsCluster);
            s.DeviceId = MachineIdentity.CreateDeviceId();
            s.CreatedAt = time.GetUtcNow();
        }
        s.Enabled = true;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).AddAsync(Login);
        Log.Registered(logger, Login);
        ScheduleCatalog(TimeSpan.Zero);
        return new AccountRegistrationResult(true, null, Summary());
    }

    public async Task<AccountLeaseResult> GetLeaseAsync(long knownCatalogVersion)
    {
        if (!IsRegistered || !state.State.Enabled)
        {
            return AccountLeaseResult.Fail(LeaseFailure.NotRegistered, $"GitHub account '{Login}' is not registered.");
        }
        var now = time.GetUtcNow();
        if (state.State.CooldownUntil is { } until && until > now)
        {
            return AccountLeaseResult.Fail(LeaseFailure.CoolingDown, $"GitHub account '{Login}' is rate limited.", until - now);
        }
        // A due refresh happens here too, so leases never depend on timer punctuality (and tests can use fake time).
        if (_copilotToken is null || state.State.RefreshDueAt is not { } due || due <= now)
        {
            await RefreshCopilotTokenAsync(persist: true);
        }
        return await WithCatalogAsync(LeaseOrFailure(), knownCatalogVersion);
    }

    public async Task<AccountLeaseResult> RefreshAfterUnauthorizedAsync(string rejectedTokenHash, long knownCatalogVersion)
    {
        if (!IsRegistered)
        {
            return AccountLeaseResult.Fail(LeaseFailure.NotRegistered, $"GitHub account '{Login}' is not registered.");
        }
        // Only the first caller with the stale token refreshes; later ones get the already refreshed lease.
        if (_copilotToken is null || SecretProtector.Fingerprint(_copilotToken) == rejectedTokenHash)
        {
            await RefreshCopilotTokenAsync(persist: true);
        }
        return await WithCatalogAsync(LeaseOrFailure(), knownCatalogVersion);
    }

    public async Task<ModelCatalogSnapshot?> GetModelsAsync(long knownVersion)
    {
        if (!IsRegistered)
        {
            return null;
        }
        if (_catalogJson is null)
        {
            await RefreshCatalogAsync();
        }
        return _catalogJson is null || knownVersion == _catalogVersion
            ? null
            : new ModelCatalogSnapshot(_catalogVersion, _catalogJson, _catalogFetchedAt);
    }

    public async Task ReportRateLimitedAsync(TimeSpan retryAfter)
    {
        if (retryAfter <= TimeSpan.Zero)
        {
            retryAfter = TimeSpan.FromSeconds(1);
        }
        var until = time.GetUtcNow() + retryAfter;
        if (state.State.CooldownUntil is { } current && current >= until)
        {
            return;
        }
        state.State.CooldownUntil = until;
        Log.CoolingDown(logger, Login, retryAfter.TotalSeconds);
        await state.WriteStateAsync();
    }

    public async Task<UpstreamJsonResult> GetQuotaAsync()
    {
        if (_githubToken is null)
        {
            return new UpstreamJsonResult(404, null);
        }
        try
        {
            var (status, body) = await gitHub.GetCopilotUserAsync(_githubToken, CancellationToken.None);
            return new UpstreamJsonResult(status, body);
        }
        catch (HttpRequestException ex)
        {
            Log.QuotaFailed(logger, Login, ex.Message);
            return new UpstreamJsonResult(502, null);
        }
    }

    public Task<AccountSummary?> GetSummaryAsync() => Task.FromResult(IsRegistered ? Summary() : null);

    public async Task RemoveAsync()
    {
        _refreshTimer?.Dispose();
        _catalogTimer?.Dispose();
        _githubToken = _copilotToken = _catalogJson = null;
        await state.ClearStateAsync();
        await GrainFactory.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).RemoveAsync(Login);
        DeactivateOnIdle();
    }

    private async Task<AccountLeaseResult> WithCatalogAsync(AccountLeaseResult result, long knownCatalogVersion)
    {
        if (result.Lease is null)
        {
            return result;
        }
        if (_catalogJson is null)
        {
            await RefreshCatalogAsync();
        }
        return _catalogJson is null || knownCatalogVersion == _catalogVersion
            ? result
            : result with { Catalog = new ModelCatalogSnapshot(_catalogVersion, _catalogJson, _catalogFetchedAt) };
    }

    private AccountLeaseResult LeaseOrFailure()
    {
        var now = time.GetUtcNow();
        var s = state.State;
        if (_copilotToken is null || !TokenRefreshSchedule.IsUsable(s.CopilotExpiresAt, now))
        {
            return AccountLeaseResult.Fail(LeaseFailure.Unavailable, $"No valid Copilot token for GitHub account '{Login}'.", TokenRefreshSchedule.RetryInterval);
        }
        if (_vscodeSessionRotateAt <= now)
        {
            _vscodeSessionId = MachineIdentity.CreateVscodeSessionId(now);
            _vscodeSessionRotateAt = now + MachineIdentity.SessionIdLifetime();
        }
        var expiresAt = s.CopilotExpiresAt!.Value;
        var renewAfter = TokenRefreshSchedule.LeaseRenewAfter(s.RefreshDueAt ?? expiresAt, expiresAt);
        if (_vscodeSessionRotateAt < renewAfter)
        {
            renewAfter = _vscodeSessionRotateAt;
        }
        return AccountLeaseResult.Ok(new AccountLease(
            Login,
            _copilotToken,
            GitHubEndpoints.Copilot(options.Value, s.ExchangedApiUrl),
            expiresAt,
            renewAfter,
            s.MachineId,
            s.DeviceId,
            _vscodeSessionId,
            _catalogVersion,
            SecretProtector.Fingerprint(_copilotToken)));
    }

    /// <summary>Exchanges the GitHub token; returns an error message, or null on success.</summary>
    private async Task<string?> RefreshCopilotTokenAsync(bool persist)
    {
        var now = time.GetUtcNow();
        var s = state.State;
        if (IsOpencode)
        {
            // The opencode OAuth app needs no exchange: the GitHub token is the Copilot bearer token (SPEC §2.3).
            _copilotToken = _githubToken;
            s.CopilotExpiresAt = now.AddYears(1);
            s.RefreshDueAt = now.AddDays(1);
            return null;
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var token = await gitHub.ExchangeCopilotTokenAsync(_githubToken!, cts.Token);
            _copilotToken = token.Token;
            s.EncryptedCopilotToken = protector.Protect(token.Token);
            s.CopilotExpiresAt = token.ExpiresAt;
            s.RefreshDueAt = TokenRefreshSchedule.NextRefresh(now, token.RefreshIn, token.ExpiresAt);
            s.ExchangedApiUrl = token.ApiUrl;
            s.Plan = token.Plan ?? s.Plan;
            s.TokenRefreshCount++;
            metrics.TokenRefreshed(success: true);
            Log.TokenRefreshed(logger, Login, s.RefreshDueAt.Value);
            if (persist)
            {
                await state.WriteStateAsync();
            }
            ScheduleRefresh(s.RefreshDueAt.Value);
            return null;
        }
        catch (Exception ex) when (ex is GitHubException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            Log.TokenRefreshFailed(logger, Login, ex.Message);
            metrics.TokenRefreshed(success: false);
            // Keep serving the old token while it is valid; try again soon.
            s.RefreshDueAt = now + TokenRefreshSchedule.RetryInterval;
            ScheduleRefresh(s.RefreshDueAt.Value);
            return ex is GitHubException { Status: 401 or 403 or 404 }
                ? $"GitHub account '{Login}' has no Copilot access ({ex.Message})"
                : ex.Message;
        }
    }

    private async Task RefreshCatalogAsync()
    {
        if (_copilotToken is null || !TokenRefreshSchedule.IsUsable(state.State.CopilotExpiresAt, time.GetUtcNow()))
        {
            await RefreshCopilotTokenAsync(persist: true);
        }
        if (LeaseOrFailure().Lease is not { } lease)
        {
            return;
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var (status, body) = await gitHub.GetModelsAsync(
                new CopilotHeaderContext(lease.CopilotBaseUrl, lease.CopilotToken, lease.MachineId, lease.DeviceId, lease.VscodeSessionId), cts.Token);
            if (status is >= 200 and < 300)
            {
                if (!string.Equals(body, _catalogJson, StringComparison.Ordinal))
                {
                    _catalogJson = body;
                    // Ticks rather than a counter: versions must not repeat across activations, since front ends cache them.
                    _catalogVersion = Math.Max(_catalogVersion + 1, time.GetUtcNow().UtcTicks);
                }
                _catalogFetchedAt = time.GetUtcNow();
            }
            else
            {
                // SPEC §2.5: a failed refresh keeps the old list.
                Log.CatalogFailed(logger, Login, $"HTTP {status}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            Log.CatalogFailed(logger, Login, ex.Message);
        }
    }

    private void ScheduleRefresh(DateTimeOffset at)
    {
        _refreshTimer?.Dispose();
        var due = at - time.GetUtcNow();
        _refreshTimer = this.RegisterGrainTimer(
            async _ =>
            {
                if (IsRegistered && (state.State.RefreshDueAt is not { } d || d <= time.GetUtcNow() + TimeSpan.FromSeconds(1)))
                {
                    await RefreshCopilotTokenAsync(persist: true);
                }
            },
            new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private void ScheduleCatalog(TimeSpan due)
    {
        _catalogTimer?.Dispose();
        var interval = options.Value.Copilot.ModelRefreshInterval;
        // SPEC §2.5: every 30 min plus random jitter of up to 1/6 of the interval.
        var period = interval + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds / 6);
        _catalogTimer = this.RegisterGrainTimer(_ => RefreshCatalogAsync(), new GrainTimerCreationOptions(due, period) { KeepAlive = true });
    }

    private AccountSummary Summary()
    {
        var s = state.State;
        return new AccountSummary(Login, s.Plan, GitHubEndpoints.Copilot(options.Value, s.ExchangedApiUrl), s.CopilotExpiresAt,
            s.CooldownUntil, s.Enabled, s.TokenRefreshCount);
    }
}
