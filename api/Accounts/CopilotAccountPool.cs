using System.Collections.Concurrent;
using Gateway.Api.Catalog;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Abstractions.Sessions;

namespace Gateway.Api.Accounts;

/// <summary>
/// The front end's view of the GitHub accounts (DESIGN §2 step 3). Leases and catalogues are cached in process, so a
/// request makes no grain call while its account's lease is fresh, and exactly one (<c>GetLeaseAsync</c>) when it is
/// not. The account directory is refreshed in the background, never on the request path once known.
/// </summary>
public sealed class CopilotAccountPool(IGrainFactory grains, TimeProvider time, ILogger<CopilotAccountPool> logger)
{
    private static readonly TimeSpan DirectoryMaxAge = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SessionIdle = TimeSpan.FromMinutes(30);
    private const int MaxSessions = 50_000;

    private readonly ConcurrentDictionary<string, CachedAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SessionPin> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _directoryGate = new(1, 1);
    private volatile string[] _logins = [];
    private long _directoryVersion = -1;
    private DateTimeOffset _directoryFetchedAt;
    private Task? _directoryRefresh;

    /// <summary>
    /// Picks an account and returns a fresh lease with its catalogue, or why none is available. With a root session the
    /// session's pinned account is used (SPEC §4.2); the session grain is asked only when this front end has no fresh
    /// lease for it.
    /// </summary>
    /// <param name="allowed">The tenant's account pool (SPEC §16.1 <c>accountPool</c>); null for every account.</param>
    public async ValueTask<LeaseSelection> AcquireAsync(ICollection<string>? exclude, string? sessionId, IReadOnlyList<string>? allowed, CancellationToken ct)
    {
        if (sessionId is null)
        {
            return await AcquireAsync(exclude, allowed, ct);
        }
        var now = time.GetUtcNow();
        if (_sessions.TryGetValue(sessionId, out var pin) && (exclude is null || !exclude.Contains(pin.Login))
            && (allowed is null || allowed.Contains(pin.Login))
            && _accounts.TryGetValue(pin.Login, out var pinned) && pinned.CooldownUntil <= now && pinned.Lease is { } fresh && fresh.RenewAfter > now)
        {
            pin.LastUsed = now;
            return LeaseSelection.Ok(fresh, pinned.Catalog);
        }
        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (login, account) in _accounts)
        {
            known[login] = account.Catalog.Version;
        }
        var result = await grains.GetGrain<ISessionGrain>(sessionId).AcquireLeaseAsync(new SessionLeaseRequest(known, exclude?.ToArray() ?? [], allowed));
        if (result.Login is { } chosen)
        {
            var cached = _accounts.GetOrAdd(chosen, static l => new CachedAccount(l));
            if (Apply(cached, result.Result) is { } selection)
            {
                Pin(sessionId, chosen, now);
                return selection;
            }
        }
        var failure = result.Result;
        return failure.Failure switch
        {
            LeaseFailure.CoolingDown => LeaseSelection.Fail(429, "All GitHub accounts are rate limited; retry later.", failure.RetryAfter),
            LeaseFailure.NotRegistered when failure.Message == "No GitHub account configured" => LeaseSelection.Fail(503, "No GitHub account configured", null),
            _ => LeaseSelection.Fail(503, "No GitHub account can serve requests right now.", TimeSpan.FromSeconds(15)),
        };
    }

    /// <summary>Picks an account without session affinity.</summary>
    public ValueTask<LeaseSelection> AcquireAsync(ICollection<string>? exclude, CancellationToken ct) => AcquireAsync(exclude, null, ct);

    /// <summary>Picks an account of <paramref name="allowed"/> (every account when null) without session affinity.</summary>
    public async ValueTask<LeaseSelection> AcquireAsync(ICollection<string>? exclude, IReadOnlyList<string>? allowed, CancellationToken ct)
    {
        var logins = await GetLoginsAsync(ct);
        if (logins.Length == 0)
        {
            return LeaseSelection.Fail(503, "No GitHub account configured", null);
        }
        var now = time.GetUtcNow();
        TimeSpan? shortestCooldown = null;
        foreach (var login in logins)
        {
            if ((exclude is not null && exclude.Contains(login)) || (allowed is not null && !allowed.Contains(login)))
            {
                continue;
            }
            var cached = _accounts.GetOrAdd(login, static l => new CachedAccount(l));
            if (cached.CooldownUntil > now)
            {
                shortestCooldown = Min(shortestCooldown, cached.CooldownUntil - now);
                continue;
            }
            if (cached.Lease is { } lease && lease.RenewAfter > now)
            {
                return LeaseSelection.Ok(lease, cached.Catalog);
            }
            var result = await grains.GetGrain<IGitHubAccountGrain>(login).GetLeaseAsync(cached.Catalog.Version);
            if (Apply(cached, result) is { } selection)
            {
                return selection;
            }
            if (result.Failure == LeaseFailure.CoolingDown && result.RetryAfter is { } retry)
            {
                shortestCooldown = Min(shortestCooldown, retry);
            }
            Log.LeaseUnavailable(logger, login, result.Failure.ToString());
        }
        return shortestCooldown is { } wait
            ? LeaseSelection.Fail(429, "All GitHub accounts are rate limited; retry later.", wait)
            : LeaseSelection.Fail(503, "No GitHub account can serve requests right now.", TimeSpan.FromSeconds(15));
    }

    /// <summary>Copilot rejected the lease's token: refresh once through the grain and return the new lease.</summary>
    public async ValueTask<LeaseSelection> RefreshAfterUnauthorizedAsync(AccountLease rejected)
    {
        var cached = _accounts.GetOrAdd(rejected.Login, static l => new CachedAccount(l));
        cached.Lease = null;
        var result = await grains.GetGrain<IGitHubAccountGrain>(rejected.Login).RefreshAfterUnauthorizedAsync(rejected.TokenHash, cached.Catalog.Version);
        return Apply(cached, result) ?? LeaseSelection.Fail(502, result.Message ?? "Copilot rejected the account's token.", null);
    }

    /// <summary>Upstream 429 on this account: stop using it locally at once and tell the grain (cluster-wide cooldown).</summary>
    public Task ReportRateLimitedAsync(string login, TimeSpan retryAfter)
    {
        var cached = _accounts.GetOrAdd(login, static l => new CachedAccount(l));
        cached.CooldownUntil = time.GetUtcNow() + retryAfter;
        cached.Lease = null;
        return grains.GetGrain<IGitHubAccountGrain>(login).ReportRateLimitedAsync(retryAfter);
    }

    /// <summary>The catalogue of the first usable account (for <c>/v1/models</c> and start-up output).</summary>
    public async ValueTask<ModelCatalog> GetCatalogAsync(CancellationToken ct)
    {
        var selection = await AcquireAsync(null, ct);
        return selection.Catalog ?? ModelCatalog.Empty;
    }

    /// <summary>Forget cached directory and leases (after an admin change in this process).</summary>
    public void Invalidate()
    {
        _directoryFetchedAt = default;
        _accounts.Clear();
    }

    private LeaseSelection? Apply(CachedAccount cached, AccountLeaseResult result)
    {
        if (result.Catalog is { } snapshot && snapshot.Version != cached.Catalog.Version)
        {
            try
            {
                cached.Catalog = ModelCatalog.Parse(snapshot.Version, snapshot.Json);
            }
            catch (System.Text.Json.JsonException ex)
            {
                Log.CatalogUnreadable(logger, cached.Login, ex.Message);
            }
        }
        if (result.Lease is { } lease)
        {
            cached.Lease = lease;
            return LeaseSelection.Ok(lease, cached.Catalog);
        }
        if (result.Failure == LeaseFailure.CoolingDown && result.RetryAfter is { } retry)
        {
            cached.CooldownUntil = time.GetUtcNow() + retry;
        }
        return null;
    }

    private async ValueTask<string[]> GetLoginsAsync(CancellationToken ct)
    {
        var age = time.GetUtcNow() - _directoryFetchedAt;
        if (_logins.Length > 0 && age < DirectoryMaxAge)
        {
            return _logins;
        }
        if (_logins.Length > 0)
        {
            // Known but stale: refresh in the background, keep serving the list we have.
            _directoryRefresh ??= RefreshDirectoryAsync(CancellationToken.None);
            return _logins;
        }
        await RefreshDirectoryAsync(ct);
        return _logins;
    }

    private async Task RefreshDirectoryAsync(CancellationToken ct)
    {
        await _directoryGate.WaitAsync(ct);
        try
        {
            if (time.GetUtcNow() - _directoryFetchedAt < DirectoryMaxAge && _logins.Length > 0)
            {
                return;
            }
            var directory = await grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).GetAsync();
            if (directory.Version != Interlocked.Read(ref _directoryVersion))
            {
                _logins = directory.Logins.ToArray();
                Interlocked.Exchange(ref _directoryVersion, directory.Version);
            }
            _directoryFetchedAt = time.GetUtcNow();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DirectoryFailed(logger, ex.Message);
        }
        finally
        {
            _directoryRefresh = null;
            _directoryGate.Release();
        }
    }

    private void Pin(string sessionId, string login, DateTimeOffset now)
    {
        if (_sessions.Count >= MaxSessions)
        {
            foreach (var (id, old) in _sessions)
            {
                if (now - old.LastUsed > SessionIdle)
                {
                    _sessions.TryRemove(id, out _);
                }
            }
        }
        _sessions[sessionId] = new SessionPin(login) { LastUsed = now };
    }

    private static TimeSpan Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    private sealed class SessionPin(string login)
    {
        public string Login { get; } = login;
        public DateTimeOffset LastUsed { get; set; }
    }

    private sealed class CachedAccount(string login)
    {
        public string Login { get; } = login;
        public volatile AccountLease? Lease;
        public ModelCatalog Catalog { get; set; } = ModelCatalog.Empty;
        public DateTimeOffset CooldownUntil { get; set; }
    }
}

/// <summary>A lease to use, or the HTTP status and message to answer with.</summary>
public readonly record struct LeaseSelection(AccountLease? Lease, ModelCatalog? Catalog, int Status, string? Error, TimeSpan? RetryAfter)
{
    public static LeaseSelection Ok(AccountLease lease, ModelCatalog catalog) => new(lease, catalog, 200, null, null);

    public static LeaseSelection Fail(int status, string error, TimeSpan? retryAfter) => new(null, null, status, error, retryAfter);
}
