using System.Collections.Concurrent;
using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Api.Accounts;

/// <summary>
/// Each tenant's account pool (SPEC §16.1 <c>accountPool</c>): a tenant only ever reaches the GitHub accounts of its
/// pool (all accounts when the pool is empty). Read from the tenant grain and cached for a few seconds, so the
/// request path normally makes no grain call for it.
/// </summary>
public sealed class TenantAccountPools(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string>? Pool, DateTimeOffset FetchedAt)> _pools = new(StringComparer.Ordinal);

    /// <returns>The logins the tenant may use, or null for every account.</returns>
    public async ValueTask<IReadOnlyList<string>?> GetAsync(string tenantId)
    {
        var now = time.GetUtcNow();
        if (_pools.TryGetValue(tenantId, out var cached) && now - cached.FetchedAt < MaxAge)
        {
            return cached.Pool;
        }
        var info = await grains.GetGrain<ITenantGrain>(tenantId).GetAsync();
        IReadOnlyList<string>? pool = info?.Settings.AccountPool is { Count: > 0 } logins ? logins : null;
        _pools[tenantId] = (pool, now);
        return pool;
    }
}
