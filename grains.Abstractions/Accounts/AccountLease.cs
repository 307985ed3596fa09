namespace Gateway.Grains.Abstractions.Accounts;

/// <summary>
/// What a front end needs to send one request to Copilot for this account. It may be cached in process until
/// <see cref="RenewAfter"/>; <see cref="ExpiresAt"/> is the Copilot token's own expiry, never to be passed.
/// </summary>
[GenerateSerializer, Immutable, Alias("gw.AccountLease")]
public sealed record AccountLease(
    [property: Id(0)] string Login,
    [property: Id(1)] string CopilotToken,
    [property: Id(2)] string CopilotBaseUrl,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] DateTimeOffset RenewAfter,
    [property: Id(5)] string MachineId,
    [property: Id(6)] string DeviceId,
    [property: Id(7)] string VscodeSessionId,
    [property: Id(8)] long CatalogVersion,
    [property: Id(9)] string TokenHash);

/// <summary>Why an account could not hand out a lease.</summary>
public enum LeaseFailure
{
    None = 0,
    /// <summary>No GitHub token is stored under this login.</summary>
    NotRegistered = 1,
    /// <summary>The token exchange failed and no valid Copilot token is left.</summary>
    Unavailable = 2,
    /// <summary>Upstream rate-limited the account; see <see cref="AccountLeaseResult.RetryAfter"/>.</summary>
    CoolingDown = 3,
}

[GenerateSerializer, Immutable, Alias("gw.AccountLeaseResult")]
public sealed record AccountLeaseResult(
    [property: Id(0)] AccountLease? Lease,
    [property: Id(1)] LeaseFailure Failure,
    [property: Id(2)] TimeSpan? RetryAfter,
    [property: Id(3)] string? Message,
    [property: Id(4)] ModelCatalogSnapshot? Catalog = null)
{
    public static AccountLeaseResult Ok(AccountLease lease, ModelCatalogSnapshot? catalog = null)
        => new(lease, LeaseFailure.None, null, null, catalog);

    public static AccountLeaseResult Fail(LeaseFailure failure, string message, TimeSpan? retryAfter = null)
        => new(null, failure, retryAfter, message);
}

[GenerateSerializer, Immutable, Alias("gw.AccountRegistrationResult")]
public sealed record AccountRegistrationResult(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] string? Error,
    [property: Id(2)] AccountSummary? Account);

/// <summary>The <c>/models</c> JSON of one account and a version that changes whenever it is refetched with new content.</summary>
[GenerateSerializer, Immutable, Alias("gw.ModelCatalogSnapshot")]
public sealed record ModelCatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] string Json,
    [property: Id(2)] DateTimeOffset FetchedAt);

/// <summary>An upstream JSON body passed through unchanged, with its status (non-2xx means failure).</summary>
[GenerateSerializer, Immutable, Alias("gw.UpstreamJsonResult")]
public sealed record UpstreamJsonResult(
    [property: Id(0)] int Status,
    [property: Id(1)] string? Json);

[GenerateSerializer, Immutable, Alias("gw.AccountSummary")]
public sealed record AccountSummary(
    [property: Id(0)] string Login,
    [property: Id(1)] string? Plan,
    [property: Id(2)] string CopilotApiUrl,
    [property: Id(3)] DateTimeOffset? TokenExpiresAt,
    [property: Id(4)] DateTimeOffset? CooldownUntil,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] int TokenRefreshCount);
