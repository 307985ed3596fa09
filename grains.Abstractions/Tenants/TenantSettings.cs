namespace Gateway.Grains.Abstractions.Tenants;

/// <summary>Per-tenant limits (SPEC §16.2); null means unlimited.</summary>
[GenerateSerializer, Immutable, Alias("gw.TenantLimits")]
public sealed record TenantLimits(
    [property: Id(0)] int? Rpm,
    [property: Id(1)] long? Tpm,
    [property: Id(2)] int? ConcurrentStreams,
    [property: Id(3)] double? MinIntervalSeconds)
{
    public static TenantLimits None { get; } = new(null, null, null, null);
}

/// <summary>A monthly spend budget; null <see cref="Monthly"/> means no budget.</summary>
[GenerateSerializer, Immutable, Alias("gw.TenantBudget")]
public sealed record TenantBudget(
    [property: Id(0)] decimal? Monthly,
    [property: Id(1)] string? Currency)
{
    public static TenantBudget None { get; } = new(null, null);
}

/// <summary>
/// The editable part of a tenant (SPEC §16.1). An empty <see cref="AccountPool"/> means every account; an empty
/// <see cref="AllowedProviders"/> means every provider.
/// </summary>
[GenerateSerializer, Immutable, Alias("gw.TenantSettings")]
public sealed record TenantSettings(
    [property: Id(0)] string Name,
    [property: Id(1)] TenantLimits Limits,
    [property: Id(2)] TenantBudget Budget,
    [property: Id(3)] IReadOnlyList<string> AccountPool,
    [property: Id(4)] IReadOnlyList<string> AllowedProviders)
{
    public static TenantSettings Named(string name) => new(name, TenantLimits.None, TenantBudget.None, [], []);
}

/// <summary>A tenant as the admin API shows it.</summary>
[GenerateSerializer, Immutable, Alias("gw.TenantInfo")]
public sealed record TenantInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] TenantSettings Settings,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] IReadOnlyList<string> KeyIds);

public enum TenantOutcome
{
    Ok = 0,
    NotFound = 1,
    /// <summary>The tenant id is taken.</summary>
    Conflict = 2,
    /// <summary>The operation is not allowed on this tenant (deleting <c>default</c>).</summary>
    Refused = 3,
}

/// <param name="RevokedKeyHashes">Key hashes that stopped working, so the caller can drop them from its cache at once.</param>
[GenerateSerializer, Immutable, Alias("gw.TenantResult")]
public sealed record TenantResult(
    [property: Id(0)] TenantOutcome Outcome,
    [property: Id(1)] TenantInfo? Tenant,
    [property: Id(2)] IReadOnlyList<string> RevokedKeyHashes)
{
    public static TenantResult Of(TenantOutcome outcome) => new(outcome, null, []);
}
