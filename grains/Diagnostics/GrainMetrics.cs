using System.Diagnostics.Metrics;

namespace Gateway.Grains.Diagnostics;

/// <summary>Metrics of the grains (meter <c>Gateway.Grains</c>), exported by whichever process hosts them.</summary>
public sealed class GrainMetrics
{
    public const string MeterName = "Gateway.Grains";
    private readonly Counter<long> _tokenRefreshes;

    public GrainMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tokenRefreshes = meter.CreateCounter<long>("gateway.token.refreshes", "{refresh}", "Copilot token exchanges, by outcome.");
    }

    public void TokenRefreshed(bool success)
        => _tokenRefreshes.Add(1, new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"));
}
