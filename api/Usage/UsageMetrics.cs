using System.Diagnostics;
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
    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;

    public UsageMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _written = _meter.CreateCounter<long>("gateway.usage.records.written", "{record}", "Usage records committed to the database.");
        _failures = _meter.CreateCounter<long>("gateway.usage.write.failures", "{batch}", "Failed usage batch writes (each is retried).");
        _spilled = _meter.CreateCounter<long>("gateway.usage.records.spilled", "{record}", "Usage records written to the local journal.");
        _lag = _meter.CreateHistogram<double>("gateway.usage.write.lag", "s", "Time from a record's creation to its commit.");
        _requests = _meter.CreateCounter<long>("gateway.usage.requests", "{request}", "Finished requests, by tenant, provider, model, route and outcome.");
        _tokens = _meter.CreateCounter<long>("gateway.usage.tokens", "{token}", "Tokens of finished requests, by type (input, output, cache_read, cache_creation).");
        _cost = _meter.CreateCounter<double>("gateway.usage.cost", "{currency_unit}", "Estimated cost of finished requests from model prices, by currency.");
    }

    /// <summary>
    /// The live side of a record (DESIGN §2 step 6: "metrics are updated at once"). Labels stay bounded (DESIGN §6):
    /// tenant, provider, model, route and outcome; never key, session or account ids.
    /// </summary>
    public void Recorded(UsageRecord record)
    {
        var tags = new TagList
        {
            { "tenant", record.TenantId },
            { "provider", record.ProviderName ?? record.Source },
            { "model", record.Model },
            { "route", record.Endpoint },
            { "outcome", Outcome(record.Status) },
        };
        _requests.Add(1, tags);
        AddTokens(record.InputTokens, "input", tags);
        AddTokens(record.OutputTokens, "output", tags);
        AddTokens(record.CacheReadInputTokens, "cache_read", tags);
        AddTokens(record.CacheCreationInputTokens, "cache_creation", tags);
        if (record.CostNanos > 0 && record.CostCurrency is { } currency)
        {
            tags.Add("currency", currency);
            _cost.Add(record.CostNanos / 1e9, tags);
        }
    }

    private void AddTokens(long count, string type, TagList tags)
    {
        if (count > 0)
        {
            tags.Add("type", type);
            _tokens.Add(count, tags);
        }
    }

    private static string Outcome(int status) => status switch
    {
        >= 200 and < 300 => "success",
        499 => "cancelled",
        429 => "throttled",
        >= 400 and < 500 => "client_error",
        _ => "error",
    };

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
