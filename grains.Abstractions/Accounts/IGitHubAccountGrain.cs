namespace Gateway.Grains.Abstractions.Accounts;

/// <summary>
/// One GitHub account with Copilot access (DESIGN §3), keyed by its GitHub login. Owns the encrypted GitHub token,
/// the Copilot token and its refresh (one refresh in flight cluster-wide, since the grain has one activation),
/// the account's Copilot base URL, per-account ids and the model catalogue. Never sees request or response bodies.
/// </summary>
[Alias("gw.IGitHubAccountGrain")]
public interface IGitHubAccountGrain : IGrainWithStringKey
{
    /// <summary>Stores (or replaces) the account's GitHub token and exchanges it for a Copilot token at once.</summary>
    [Alias("Register")]
    Task<AccountRegistrationResult> RegisterAsync(string githubToken);

    /// <summary>
    /// The lease the front end needs to call Copilot: a valid token, base URL and per-account ids; plus the model
    /// catalogue when it differs from <paramref name="knownCatalogVersion"/> (so one call serves both).
    /// </summary>
    [Alias("GetLease")]
    Task<AccountLeaseResult> GetLeaseAsync(long knownCatalogVersion);

    /// <summary>
    /// Copilot answered 401 to <paramref name="rejectedTokenHash"/>: refresh unless another caller already did,
    /// and return the lease to retry with.
    /// </summary>
    [Alias("RefreshAfterUnauthorized")]
    Task<AccountLeaseResult> RefreshAfterUnauthorizedAsync(string rejectedTokenHash, long knownCatalogVersion);

    /// <summary>The cached <c>/models</c> response, or null when <paramref name="knownVersion"/> is current.</summary>
    [Alias("GetModels")]
    Task<ModelCatalogSnapshot?> GetModelsAsync(long knownVersion);

    /// <summary>Upstream said 429: the account cools down until the given time (SPEC §16.2).</summary>
    [Alias("ReportRateLimited")]
    Task ReportRateLimitedAsync(TimeSpan retryAfter);

    /// <summary>The Copilot quota (<c>/copilot_internal/user</c>) JSON, unchanged.</summary>
    [Alias("GetQuota")]
    Task<UpstreamJsonResult> GetQuotaAsync();

    [Alias("GetSummary")]
    Task<AccountSummary?> GetSummaryAsync();

    /// <summary>Forgets the account: tokens, ids and catalogue.</summary>
    [Alias("Remove")]
    Task RemoveAsync();
}
