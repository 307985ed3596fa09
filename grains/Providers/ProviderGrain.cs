using Gateway.Grains.Abstractions.Providers;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Grains.Providers;

/// <summary>
/// A provider's circuit (DESIGN §3): <see cref="ProviderCircuitOptions.FailureThreshold"/> consecutive failures open
/// it for <see cref="ProviderCircuitOptions.OpenSeconds"/>; a 429 closes the provider for its <c>retry-after</c>;
/// a success closes it and resets the count. In memory only: health is transient, and a new activation starts
/// healthy, which at worst lets one request per front end find out again.
/// </summary>
public sealed class ProviderGrain(IOptions<GatewayOptions> options, TimeProvider time) : Grain, IProviderGrain
{
    private ProviderHealth _health = ProviderHealth.Healthy;

    public Task<ProviderHealth> GetHealthAsync() => Task.FromResult(Current());

    public Task<ProviderHealth> ReportAsync(ProviderOutcome outcome)
    {
        var circuit = options.Value.ProviderCircuit;
        var now = time.GetUtcNow();
        var current = Current();
        _health = outcome.Kind switch
        {
            ProviderOutcomeKind.Success => ProviderHealth.Healthy,
            ProviderOutcomeKind.RateLimited => current with
            {
                UnavailableUntil = Later(current.UnavailableUntil,
                    now + TimeSpan.FromSeconds(Math.Clamp((outcome.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds, 1, circuit.MaxRetryAfterSeconds))),
                Reason = "rate limited by the provider",
            },
            _ => Failed(current, outcome.Reason, now, circuit),
        };
        return Task.FromResult(_health);
    }

    private static ProviderHealth Failed(ProviderHealth current, string? reason, DateTimeOffset now, ProviderCircuitOptions circuit)
    {
        var failures = current.ConsecutiveFailures + 1;
        return failures >= Math.Max(1, circuit.FailureThreshold)
            ? new ProviderHealth(Later(current.UnavailableUntil, now + TimeSpan.FromSeconds(circuit.OpenSeconds)), $"{failures} consecutive failures ({reason ?? "error"})", failures)
            : current with { ConsecutiveFailures = failures };
    }

    /// <summary>The state now: a cooldown that has passed no longer counts (the next request is the trial).</summary>
    private ProviderHealth Current()
        => _health.UnavailableUntil is { } until && until <= time.GetUtcNow() ? _health with { UnavailableUntil = null, Reason = null } : _health;

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}
