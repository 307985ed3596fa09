namespace Gateway.Grains.Abstractions.Tenants;

/// <summary>
/// One tenant (DESIGN §3), keyed by tenant id: its settings and its keys. A key id is stable across rotation; the
/// tenant grain knows each key's current secret hash (and hashes still inside a rotation grace window), and keeps
/// the <see cref="IApiKeyGrain"/> of every hash in step, so resolving a key is one call to the hash grain.
/// Tenant <see cref="DefaultTenantId"/> always exists: it is created on first use.
/// </summary>
[Alias("gw.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    public const string DefaultTenantId = "default";

    /// <summary>Creates the tenant; <see cref="TenantOutcome.Conflict"/> when the id is taken.</summary>
    [Alias("Create")]
    Task<TenantResult> CreateAsync(TenantSettings settings);

    /// <summary>The tenant, or null when it does not exist (or was deleted).</summary>
    [Alias("Get")]
    Task<TenantInfo?> GetAsync();

    [Alias("Update")]
    Task<TenantResult> UpdateAsync(TenantSettings settings);

    /// <summary>Deletes the tenant; every key of it stops working at once.</summary>
    [Alias("Delete")]
    Task<TenantResult> DeleteAsync();

    [Alias("CreateKey")]
    Task<ApiKeyResult> CreateKeyAsync(NewApiKey key);

    /// <summary>The tenant's keys, or null when the tenant does not exist.</summary>
    [Alias("ListKeys")]
    Task<IReadOnlyList<ApiKeyInfo>?> ListKeysAsync();

    /// <summary>Revokes the key at once (current secret and any secret still in a grace window).</summary>
    [Alias("RevokeKey")]
    Task<ApiKeyResult> RevokeKeyAsync(string keyId);

    /// <summary>
    /// Replaces the key's secret with <paramref name="replacement"/> (its name and expiry are ignored: the key keeps
    /// its own); the old secret keeps working for <paramref name="grace"/>, then stops.
    /// </summary>
    [Alias("RotateKey")]
    Task<ApiKeyResult> RotateKeyAsync(string keyId, NewApiKey replacement, TimeSpan grace);
}
