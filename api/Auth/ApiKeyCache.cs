using System.Collections.Concurrent;
using Gateway.Grains.Abstractions.Tenants;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Auth;

/// <summary>
/// Key hash → identity (or "unknown") for tenant keys (DESIGN §2 step 1). A hit costs one dictionary lookup and
/// allocates nothing; a miss is one call to the key's <see cref="IApiKeyGrain"/>. Entries live for a short TTL, so
/// a key revoked or rotated out on any front end fails here within seconds; changes made through this front end
/// drop their entries at once (<see cref="Invalidate"/>).
/// </summary>
public sealed class ApiKeyCache(IGrainFactory grains, TimeProvider time, IOptions<KeyCacheOptions> options)
{
    private readonly ConcurrentDictionary<KeyHash, Entry> _entries = new();
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.TtlSeconds);
    private readonly TimeSpan _negativeTtl = TimeSpan.FromSeconds(options.Value.NegativeTtlSeconds);
    private readonly int _maxEntries = options.Value.MaxEntries;

    /// <summary>The identity of a valid tenant key, or null.</summary>
    public ValueTask<CallerIdentity?> ResolveAsync(KeyHash hash)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(hash, out var entry) && entry.FreshUntil > now)
        {
            // Expiry and the end of a rotation grace window are exact, not TTL-late.
            return new ValueTask<CallerIdentity?>(entry.ValidUntil is { } until && until <= now ? null : entry.Identity);
        }
        return LookupAsync(hash, now);
    }

    /// <summary>Forgets a hash (lower-case hex, as grains return it) after an admin change on this front end.</summary>
    public void Invalidate(string hashHex)
    {
        if (KeyHash.TryParse(hashHex, out var hash))
        {
            _entries.TryRemove(hash, out _);
        }
    }

    public void Invalidate(IEnumerable<string> hashHexes)
    {
        foreach (var hex in hashHexes)
        {
            Invalidate(hex);
        }
    }

    private async ValueTask<CallerIdentity?> LookupAsync(KeyHash hash, DateTimeOffset now)
    {
        var resolution = await grains.GetGrain<IApiKeyGrain>(hash.ToHex()).ResolveAsync();
        var entry = resolution is null
            ? new Entry(null, now + _negativeTtl, null)
            : new Entry(new CallerIdentity(resolution.TenantId, resolution.KeyId), now + _ttl, resolution.ValidUntil);
        if (_entries.Count >= _maxEntries)
        {
            _entries.Clear();
        }
        _entries[hash] = entry;
        return entry.Identity;
    }

    private sealed record Entry(CallerIdentity? Identity, DateTimeOffset FreshUntil, DateTimeOffset? ValidUntil);
}
