using System.Collections.Concurrent;
using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Api.Providers;

/// <summary>
/// Each tenant's <c>allowedProviders</c> (SPEC §16.1): an empty list allows every provider. Read from the tenant grain
/// and cached for a few seconds, so the request path normally makes no grain call for it.
/// </summary>
public sealed class TenantProviderAccess(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string>? Allowed, DateTimeOffset FetchedAt)> _allowed = new(StringComparer.Ordinal);

    public async ValueTask<bool> IsAllowedAsync(string tenantId, string provider)
    {
        var now = time.GetUtcNow();
        if (!_allowed.TryGetValue(tenantId, out var cached) || now - cached.FetchedAt >= MaxAge)
        {
            var info = await grains.GetGrain<ITenantGrain>(tenantId).GetAsync();
            cached = (info?.Settings.AllowedProviders is { Count: > 0 } names ? names : null, now);
            _allowed[tenantId] = cached;
        }
        return cached.Allowed is null || cached.Allowed.Contains(provider, StringComparer.Ordinal);
    }
}
