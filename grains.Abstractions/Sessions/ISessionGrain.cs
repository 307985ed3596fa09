using Gateway.Grains.Abstractions.Accounts;

namespace Gateway.Grains.Abstractions.Sessions;

/// <summary>
/// One root session (SPEC §4.2), keyed by its UUID. Keeps the session on one GitHub account while that account is
/// healthy, for prompt-cache affinity (SPEC §4.2). The front end calls it once when it has no fresh lease for the
/// session; the session grain calls the account grain, so the request still costs one grain call. State is small and
/// in memory: an idle session simply deactivates and starts afresh.
/// </summary>
[Alias("gw.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    [Alias("AcquireLease")]
    Task<SessionLeaseResult> AcquireLeaseAsync(SessionLeaseRequest request);
}

/// <param name="KnownCatalogVersions">The catalogue version the front end holds per login (0 when none).</param>
/// <param name="Exclude">Logins that just failed for this request (429, connect error) and must not be chosen.</param>
/// <param name="AllowedLogins">The tenant's account pool; null when the tenant may use every account.</param>
[GenerateSerializer, Immutable, Alias("gw.SessionLeaseRequest")]
public sealed record SessionLeaseRequest(
    [property: Id(0)] IReadOnlyDictionary<string, long> KnownCatalogVersions,
    [property: Id(1)] IReadOnlyList<string> Exclude,
    [property: Id(2)] IReadOnlyList<string>? AllowedLogins = null);

/// <summary>The lease of the account the session is pinned to, or the last failure when no account could serve.</summary>
[GenerateSerializer, Immutable, Alias("gw.SessionLeaseResult")]
public sealed record SessionLeaseResult(
    [property: Id(0)] string? Login,
    [property: Id(1)] AccountLeaseResult Result);
