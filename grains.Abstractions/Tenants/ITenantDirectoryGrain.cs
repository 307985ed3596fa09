namespace Gateway.Grains.Abstractions.Tenants;

/// <summary>
/// The list of tenants (for <c>GET /admin/tenants</c>) and the index from key id to tenant id (for
/// <c>/admin/keys/{id}/...</c>). Single key <see cref="DefaultKey"/>; only admin operations call it.
/// </summary>
[Alias("gw.ITenantDirectoryGrain")]
public interface ITenantDirectoryGrain : IGrainWithStringKey
{
    public const string DefaultKey = "default";

    [Alias("AddTenant")]
    Task AddTenantAsync(string tenantId);

    [Alias("RemoveTenant")]
    Task RemoveTenantAsync(string tenantId);

    /// <summary>Tenant ids in creation order.</summary>
    [Alias("ListTenants")]
    Task<IReadOnlyList<string>> ListTenantsAsync();

    [Alias("AddKey")]
    Task AddKeyAsync(string keyId, string tenantId);

    /// <summary>The tenant that owns <paramref name="keyId"/>, or null.</summary>
    [Alias("FindKey")]
    Task<string?> FindKeyAsync(string keyId);
}
