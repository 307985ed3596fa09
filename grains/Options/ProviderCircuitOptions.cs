namespace Gateway.Grains.Options;

/// <summary>When a provider is taken out of service for a while (DESIGN §3 <c>IProviderGrain</c>).</summary>
public sealed class ProviderCircuitOptions
{
    /// <summary>Consecutive failures (connect errors, timeouts, 5xx) that open the circuit.</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>How long an open circuit refuses requests before the next one is tried.</summary>
    public double OpenSeconds { get; set; } = 30;

    /// <summary>The longest cooldown an upstream <c>retry-after</c> may impose.</summary>
    public double MaxRetryAfterSeconds { get; set; } = 600;
}
