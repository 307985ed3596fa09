using System.Security.Cryptography;
using System.Text;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Api.Auth;

/// <summary>Who a request belongs to once its key is accepted.</summary>
public sealed record CallerIdentity(string TenantId, string? KeyId);

/// <summary>
/// Authenticates gateway API keys (SPEC §1.2). Keys are held only as SHA-256 hashes; a presented key is hashed and
/// compared with <see cref="CryptographicOperations.FixedTimeEquals"/>. Today the keys come from <c>auth.apiKeys</c>
/// (tenant <c>default</c>); the tenant key store plugs in behind <see cref="Resolve"/>.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    public const string DefaultTenant = "default";
    private static readonly CallerIdentity OpenModeIdentity = new(DefaultTenant, null);

    private readonly Dictionary<string, (byte[] Hash, CallerIdentity Identity)> _keys = new(StringComparer.Ordinal);
    private readonly byte[]? _adminHash;

    public ApiKeyAuthenticator(IOptions<GatewayOptions> options)
    {
        var value = options.Value;
        foreach (var raw in value.Auth.ApiKeys)
        {
            var key = raw?.Trim();
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }
            var hash = Hash(key);
            var hex = Convert.ToHexStringLower(hash);
            _keys.TryAdd(hex, (hash, new CallerIdentity(DefaultTenant, "cfg_" + hex[..12])));
        }
        if (!string.IsNullOrWhiteSpace(value.Auth.AdminApiKey))
        {
            _adminHash = Hash(value.Auth.AdminApiKey.Trim());
        }
        OpenMode = !value.IsCluster && _keys.Count == 0 && HostIsLoopback(value.Host);
    }

    /// <summary>Standalone, no key configured, loopback only: key routes need no key (SPEC §1.2).</summary>
    public bool OpenMode { get; }

    /// <summary>The identity of a request, or null when it must get the 401.</summary>
    public CallerIdentity? Authenticate(HttpRequest request)
    {
        var presented = ReadKey(request);
        if (presented is null)
        {
            return OpenMode ? OpenModeIdentity : null;
        }
        var hash = Hash(presented);
        if (_keys.TryGetValue(Convert.ToHexStringLower(hash), out var entry) && CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
        {
            return entry.Identity;
        }
        // In open mode a client may still send some placeholder key (e.g. "dummy"); it is not a credential.
        return OpenMode ? OpenModeIdentity : null;
    }

    public bool IsAdmin(HttpRequest request)
    {
        if (_adminHash is null || ReadKey(request) is not { } presented)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Hash(presented), _adminHash);
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

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
