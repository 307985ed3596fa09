using System.Collections.Frozen;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Providers;

/// <summary>The configured providers (SPEC §13.1), compiled once at start; start-up validation has already run.</summary>
public sealed class ProviderRegistry
{
    private readonly FrozenDictionary<string, Provider> _providers;

    public ProviderRegistry(IOptions<GatewayOptions> options)
    {
        _providers = options.Value.Providers
            .Where(p => p.Value is not null)
            .ToFrozenDictionary(p => p.Key, p => new Provider(p.Key, p.Value), StringComparer.Ordinal);
    }

    /// <summary>Every declared provider, enabled or not.</summary>
    public IEnumerable<Provider> All => _providers.Values;

    /// <summary>True when some provider is enabled (SPEC §1.4: the gateway may then run without a GitHub account).</summary>
    public bool AnyEnabled => _providers.Values.Any(p => p.Enabled);

    /// <summary>An enabled provider by its exact name; unknown and disabled providers are alike to clients (404).</summary>
    public Provider? Find(string name) => _providers.TryGetValue(name, out var provider) && provider.Enabled ? provider : null;
}
