using Gateway.Grains.Options;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Api.Auth;

/// <summary>Who a request belongs to once its key is accepted.</summary>
public sealed record CallerIdentity(string TenantId, string? KeyId);

/// <summary>
/// Authenticates gateway API keys (SPEC §1.2). Keys are held only as SHA-256 hashes. <c>auth.apiKeys</c> entries are
/// keys of tenant <c>default</c>, hashed in memory and compared in constant time; every other key is a tenant key
/// resolved through <see cref="ApiKeyCache"/> (one grain call on a miss).
/// </summary>
public sealed class ApiKeyAuthenticator
{
    public const string DefaultTenant = "default";
    private static readonly CallerIdentity OpenModeIdentity = new(DefaultTenant, null);

    private readonly Dictionary<KeyHash, CallerIdentity> _configKeys = [];
    private readonly KeyHash? _adminHash;
    private readonly ApiKeyCache? _tenantKeys;

    /// <summary>Configured keys only (no tenant key store).</summary>
    public ApiKeyAuthenticator(IOptions<GatewayOptions> options)
        : this(options, null)
    {
    }

    public ApiKeyAuthenticator(IOptions<GatewayOptions> options, ApiKeyCache? tenantKeys)
    {
        _tenantKeys = tenantKeys;
        var value = options.Value;
        foreach (var raw in value.Auth.ApiKeys)
        {
            var key = raw?.Trim();
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }
            var hash = KeyHash.Compute(key);
            _configKeys.TryAdd(hash, new CallerIdentity(DefaultTenant, "cfg_" + hash.ToHex()[..12]));
        }
        if (!string.IsNullOrWhiteSpace(value.Auth.AdminApiKey))
        {
            _adminHash = KeyHash.Compute(value.Auth.AdminApiKey.Trim());
        }
        OpenMode = !value.IsCluster && _configKeys.Count == 0 && HostIsLoopback(value.Host);
    }

    /// <summary>Standalone, no key configured, loopback only: key routes need no key (SPEC §1.2).</summary>
    public bool OpenMode { get; }

    /// <summary>The identity of a request by configured keys only, or null when it must get the 401.</summary>
    public CallerIdentity? Authenticate(HttpRequest request)
    {
        var presented = ReadKey(request);
        if (presented is null)
        {
            return OpenMode ? OpenModeIdentity : null;
        }
        return FindConfigKey(KeyHash.Compute(presented)) ?? (OpenMode ? OpenModeIdentity : null);
    }

    /// <summary>
    /// The identity of a request, or null when it must get the 401. Completes synchronously (no allocation) for
    /// configured keys and tenant-key cache hits.
    /// </summary>
    public ValueTask<CallerIdentity?> AuthenticateAsync(HttpRequest request)
    {
        var presented = ReadKey(request);
        if (presented is null)
        {
            return new ValueTask<CallerIdentity?>(OpenMode ? OpenModeIdentity : null);
        }
        var hash = KeyHash.Compute(presented);
        if (FindConfigKey(hash) is { } configured)
        {
            return new ValueTask<CallerIdentity?>(configured);
        }
        if (_tenantKeys is null)
        {
            return new ValueTask<CallerIdentity?>(OpenMode ? OpenModeIdentity : null);
        }
        var pending = _tenantKeys.ResolveAsync(hash);
        if (pending.IsCompletedSuccessfully)
        {
            return new ValueTask<CallerIdentity?>(pending.Result ?? (OpenMode ? OpenModeIdentity : null));
        }
        return AwaitTenantKeyAsync(pending);
    }

    public bool IsAdmin(HttpRequest request)
    {
        if (_adminHash is not { } admin || ReadKey(request) is not { } presented)
        {
            return false;
        }
        return KeyHash.Compute(presented).FixedTimeEquals(admin);
    }

    /// <summary><c>x-api-key</c> when present and non-blank, else <c>Authorization: Bearer</c>.</summary>
    public static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("x-api-key", out StringValues apiKey) && apiKey.ToString().Trim() is { Length: > 0 } k)
        {
            return k;
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[7..].Trim();
            return token.Length > 0 ? token : null;
        }
        return null;
    }

    public static bool HostIsLoopback(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return true;
        }
        var h = host.Trim().Trim('[', ']');
        return h is "localhost" or "127.0.0.1" or "::1" || (System.Net.IPAddress.TryParse(h, out var ip) && System.Net.IPAddress.IsLoopback(ip));
    }

    private CallerIdentity? FindConfigKey(KeyHash hash)
        => _configKeys.TryGetValue(hash, out var identity) ? identity : null;

    private async ValueTask<CallerIdentity?> AwaitTenantKeyAsync(ValueTask<CallerIdentity?> pending)
        // In open mode a client may still send some placeholder key (e.g. "dummy"); it is not a credential.
        => await pending ?? (OpenMode ? OpenModeIdentity : null);
}
