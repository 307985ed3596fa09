using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Grains.Tenants;

[GenerateSerializer, Alias("gw.TenantDirectoryState")]
public sealed class TenantDirectoryState
{
    [Id(0)] public List<string> Tenants { get; set; } = [];
    [Id(1)] public Dictionary<string, string> KeyTenants { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Tenant ids and the key id → tenant index. Only admin operations call it, never the request path.</summary>
public sealed class TenantDirectoryGrain(
    [PersistentState("tenants", "gateway")] IPersistentState<TenantDirectoryState> state) : Grain, ITenantDirectoryGrain
{
    public async Task AddTenantAsync(string tenantId)
    {
        if (state.State.Tenants.Contains(tenantId, StringComparer.Ordinal))
        {
            return;
        }
        state.State.Tenants.Add(tenantId);
        await state.WriteStateAsync();
    }

    public async Task RemoveTenantAsync(string tenantId)
    {
        if (state.State.Tenants.Remove(tenantId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListTenantsAsync()
    {
        // Tenant "default" always exists (SPEC §1.2); its grain creates itself when first asked, which may not have
        // happened yet. Not calling it from here keeps the two grains free of call cycles.
        IReadOnlyList<string> tenants = state.State.Tenants.Contains(ITenantGrain.DefaultTenantId, StringComparer.Ordinal)
            ? state.State.Tenants.ToArray()
            : [ITenantGrain.DefaultTenantId, .. state.State.Tenants];
        return Task.FromResult(tenants);
    }

    public async Task AddKeyAsync(string keyId, string tenantId)
    {
        state.State.KeyTenants[keyId] = tenantId;
        await state.WriteStateAsync();
    }

    public Task<string?> FindKeyAsync(string keyId) => Task.FromResult(state.State.KeyTenants.GetValueOrDefault(keyId));
}
