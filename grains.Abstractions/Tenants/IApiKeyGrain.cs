namespace Gateway.Grains.Abstractions.Tenants;

/// <summary>
/// One key secret, keyed by the lower-case hex SHA-256 of the secret (DESIGN §3). Front ends resolve a presented
/// key with one call here; only <see cref="ITenantGrain"/> writes it.
/// </summary>
[Alias("gw.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>The identity of a currently valid key, or null (unknown, revoked, expired or rotated out).</summary>
    [Alias("Resolve")]
    Task<ApiKeyResolution?> ResolveAsync();

    [Alias("Set")]
    Task SetAsync(ApiKeyRecord record);

    /// <summary>The secret stops working at <paramref name="at"/> (now, or the end of a grace window); an earlier time wins.</summary>
    [Alias("Revoke")]
    Task RevokeAsync(DateTimeOffset at);
}
