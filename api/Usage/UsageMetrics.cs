using System.Diagnostics.Metrics;

namespace Gateway.Api.Usage;

/// <summary>
/// Usage write-path instruments (DESIGN §6: usage-queue depth and write lag), on the <c>Gateway.Usage</c> meter.
/// No labels: these describe the process's queue, not per-request series.
/// </summary>
public sealed class UsageMetrics
{
    public const string MeterName = "Gateway.Usage";

    private readonly Meter _meter;
    private readonly Counter<long> _written;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _spilled;
    private readonly Histogram<double> _lag;

    public UsageMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _written = _meter.CreateCounter<long>("gateway.usage.records.written", "{record}", "Usage records committed to the database.");
        _failures = _meter.CreateCounter<long>("gateway.usage.write.failures", "{batch}", "Failed usage batch writes (each is retried).");
        _spilled = _meter.CreateCounter<long>("gateway.usage.records.spilled", "{record}", "Usage records written to the local journal.");
        _lag = _meter.CreateHistogram<double>("gateway.usage.write.lag", "s", "Time from a record's creation to its commit.");
    }

    /// <summary>Registers the queue-depth gauge; the recorder owns the queue, so it supplies the reading.</summary>
    public void ObserveQueueDepth(Func<long> depth)
        => _meter.CreateObservableGauge("gateway.usage.queue.depth", depth, "{record}", "Usage records waiting in memory.");

    public void Committed(IReadOnlyList<UsageRecord> records, DateTimeOffset now)
    {
        _written.Add(records.Count);
        foreach (var record in records)
        {
            _lag.Record(Math.Max(0, (now - record.CreatedAt).TotalSeconds));
        }
    }

    public void WriteFailed() => _failures.Add(1);

    public void Spilled(int count) => _spilled.Add(count);
}
