using System.Collections.Concurrent;
using Gateway.Grains.Abstractions.Providers;

namespace Gateway.Api.Providers;

/// <summary>
/// The front end's view of provider health (DESIGN §3: one <see cref="IProviderGrain"/> per provider decides for the
/// cluster). Reading it costs a dictionary lookup: a view older than <see cref="RefreshAfter"/> is refreshed in the
/// background, never on the request's path. Only failures, 429s and the first success after a failure are reported
/// to the grain, so a healthy provider adds no grain call per request.
/// </summary>
public sealed partial class ProviderHealthMonitor(IGrainFactory grains, TimeProvider time, ILogger<ProviderHealthMonitor> logger)
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>False while the provider is out of service, with how long that still lasts.</summary>
    public bool IsAvailable(string provider, out TimeSpan retryAfter, out string? reason)
    {
        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(provider, static _ => new Entry(ProviderHealth.Healthy, DateTimeOffset.MinValue));
        if (now - entry.FetchedAt > RefreshAfter && _entries.TryUpdate(provider, entry with { FetchedAt = now }, entry))
        {
            _ = RefreshAsync(provider);
        }
        if (entry.Health.UnavailableUntil is { } until && until > now)
        {
            retryAfter = until - now;
            reason = entry.Health.Reason;
            return false;
        }
        retryAfter = TimeSpan.Zero;
        reason = null;
        return true;
    }

    /// <summary>Records a request's outcome; successes only matter (and cost a call) after a failure.</summary>
    public void Report(string provider, ProviderOutcome outcome)
    {
        if (outcome.Kind == ProviderOutcomeKind.Success
            && (!_entries.TryGetValue(provider, out var entry) || entry.Health.ConsecutiveFailures == 0))
        {
            return;
        }
        _ = ReportAsync(provider, outcome);
    }

    private async Task ReportAsync(string provider, ProviderOutcome outcome)
    {
        try
        {
            Store(provider, await grains.GetGrain<IProviderGrain>(provider).ReportAsync(outcome));
        }
        catch (Exception ex)
        {
            LogHealthCallFailed(logger, provider, ex.Message);
        }
    }

    private async Task RefreshAsync(string provider)
    {
        try
        {
            Store(provider, await grains.GetGrain<IProviderGrain>(provider).GetHealthAsync());
        }
        catch (Exception ex)
        {
            // The last known state stays in use until the cluster answers again.
            LogHealthCallFailed(logger, provider, ex.Message);
        }
    }

    private void Store(string provider, ProviderHealth health) => _entries[provider] = new Entry(health, time.GetUtcNow());

    private sealed record Entry(ProviderHealth Health, DateTimeOffset FetchedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider health call for {Provider} failed: {Reason}")]
    private static partial void LogHealthCallFailed(ILogger logger, string provider, string reason);
}
