namespace Gateway.Grains.Abstractions.Tenants;

/// <summary>A key as the admin API lists it: never the secret or its hash (SPEC §16.1).</summary>
[GenerateSerializer, Immutable, Alias("gw.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Prefix,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] DateTimeOffset? RevokedAt);

/// <summary>
/// A new key secret, already hashed by the front end: the secret itself never reaches a grain.
/// </summary>
/// <param name="Hash">Lower-case hex SHA-256 of the secret.</param>
/// <param name="Prefix">The first characters of the secret, shown in listings.</param>
[GenerateSerializer, Immutable, Alias("gw.NewApiKey")]
public sealed record NewApiKey(
    [property: Id(0)] string Name,
    [property: Id(1)] string Hash,
    [property: Id(2)] string Prefix,
    [property: Id(3)] DateTimeOffset? ExpiresAt);

public enum ApiKeyOutcome
{
    Ok = 0,
    TenantNotFound = 1,
    KeyNotFound = 2,
    /// <summary>The key is already revoked: it cannot be rotated.</summary>
    Revoked = 3,
}

/// <param name="AffectedHashes">Hashes whose validity changed, for the caller's cache invalidation.</param>
[GenerateSerializer, Immutable, Alias("gw.ApiKeyResult")]
public sealed record ApiKeyResult(
    [property: Id(0)] ApiKeyOutcome Outcome,
    [property: Id(1)] ApiKeyInfo? Key,
    [property: Id(2)] IReadOnlyList<string> AffectedHashes)
{
    public static ApiKeyResult Of(ApiKeyOutcome outcome) => new(outcome, null, []);
}

/// <summary>What the hash grain remembers of one key secret.</summary>
/// <param name="RevokedAt">When this secret stops working: revocation, or the end of a rotation's grace window.</param>
[GenerateSerializer, Immutable, Alias("gw.ApiKeyRecord")]
public sealed record ApiKeyRecord(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] DateTimeOffset? RevokedAt);

/// <summary>A valid key: who it identifies and until when it may be trusted without asking again.</summary>
/// <param name="ValidUntil">The earlier of expiry and a scheduled revocation (rotation grace), or null.</param>
[GenerateSerializer, Immutable, Alias("gw.ApiKeyResolution")]
public sealed record ApiKeyResolution(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] DateTimeOffset? ValidUntil);
