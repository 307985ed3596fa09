namespace Gateway.Grains.Abstractions.Providers;

/// <summary>
/// Health of one third-party provider, cluster-wide (DESIGN §3), keyed by provider name: consecutive failures open
/// a circuit for a while, and an upstream 429 cools the provider down for its <c>retry-after</c>. Front ends read the
/// state from a cache they refresh in the background and report only failures and recoveries, so a healthy provider
/// costs no grain call per request.
/// </summary>
[Alias("gw.IProviderGrain")]
public interface IProviderGrain : IGrainWithStringKey
{
    [Alias("Report")]
    Task<ProviderHealth> ReportAsync(ProviderOutcome outcome);

    [Alias("GetHealth")]
    Task<ProviderHealth> GetHealthAsync();
}

/// <summary>What one request learned: a failure (connect error, timeout, 5xx), a 429 with its wait, or a success.</summary>
[GenerateSerializer, Immutable, Alias("gw.ProviderOutcome")]
public sealed record ProviderOutcome(
    [property: Id(0)] ProviderOutcomeKind Kind,
    [property: Id(1)] TimeSpan? RetryAfter = null,
    [property: Id(2)] string? Reason = null);

public enum ProviderOutcomeKind
{
    Success = 0,
    Failure = 1,
    RateLimited = 2,
}

/// <summary>Unavailable until <see cref="UnavailableUntil"/> (null: available), and why.</summary>
[GenerateSerializer, Immutable, Alias("gw.ProviderHealth")]
public sealed record ProviderHealth(
    [property: Id(0)] DateTimeOffset? UnavailableUntil,
    [property: Id(1)] string? Reason,
    [property: Id(2)] int ConsecutiveFailures)
{
    public static ProviderHealth Healthy { get; } = new(null, null, 0);
}
