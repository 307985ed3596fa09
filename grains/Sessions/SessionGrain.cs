using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Abstractions.Sessions;

namespace Gateway.Grains.Sessions;

/// <summary>
/// Session → account affinity (SPEC §4.2). A new session is spread over the pool by a hash of its id; it then stays
/// on that account until the account cannot serve (cooldown, no token), when it moves to the next one.
/// </summary>
[CollectionAgeLimit(Minutes = 30)]
public sealed class SessionGrain : Grain, ISessionGrain
{
    private string? _stickyLogin;

    public async Task<SessionLeaseResult> AcquireLeaseAsync(SessionLeaseRequest request)
    {
        AccountLeaseResult? lastFailure = null;
        if (_stickyLogin is { } sticky && !request.Exclude.Contains(sticky) && Allowed(request, sticky))
        {
            var result = await LeaseAsync(sticky, request);
            if (result.Lease is not null)
            {
                return new SessionLeaseResult(sticky, result);
            }
            lastFailure = result;
        }

        var directory = await GrainFactory.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).GetAsync();
        var logins = request.AllowedLogins is null ? directory.Logins : directory.Logins.Where(l => Allowed(request, l)).ToArray();
        if (logins.Count == 0)
        {
            return new SessionLeaseResult(null, AccountLeaseResult.Fail(LeaseFailure.NotRegistered, "No GitHub account configured"));
        }
        var start = (int)(StableHash(this.GetPrimaryKeyString()) % (uint)logins.Count);
        for (var i = 0; i < logins.Count; i++)
        {
            var login = logins[(start + i) % logins.Count];
            if (login == _stickyLogin || request.Exclude.Contains(login))
            {
                continue;
            }
            var result = await LeaseAsync(login, request);
            if (result.Lease is not null)
            {
                _stickyLogin = login;
                return new SessionLeaseResult(login, result);
            }
            lastFailure = PreferCooldown(lastFailure, result);
        }
        return new SessionLeaseResult(null, lastFailure ?? AccountLeaseResult.Fail(LeaseFailure.Unavailable, "No GitHub account can serve requests right now."));
    }

    private static bool Allowed(SessionLeaseRequest request, string login)
        => request.AllowedLogins is null || request.AllowedLogins.Contains(login, StringComparer.Ordinal);

    private Task<AccountLeaseResult> LeaseAsync(string login, SessionLeaseRequest request)
        => GrainFactory.GetGrain<IGitHubAccountGrain>(login).GetLeaseAsync(request.KnownCatalogVersions.GetValueOrDefault(login));

    /// <summary>Report the shortest cooldown, so the client's Retry-After is as short as it can honestly be.</summary>
    private static AccountLeaseResult PreferCooldown(AccountLeaseResult? current, AccountLeaseResult next)
    {
        if (current is null || current.Failure != LeaseFailure.CoolingDown)
        {
            return next.Failure == LeaseFailure.CoolingDown || current is null ? next : current;
        }
        return next.Failure == LeaseFailure.CoolingDown && next.RetryAfter < current.RetryAfter ? next : current;
    }

    // FNV-1a: stable across processes (string.GetHashCode is randomised per process).
    private static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
