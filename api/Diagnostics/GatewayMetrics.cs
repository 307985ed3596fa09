using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Api.Usage;

namespace Gateway.Api.Diagnostics;

/// <summary>
/// The API process's meter (DESIGN §6), named after the OpenTelemetry GenAI semantic conventions so dashboards built
/// for other gateways work: <c>gen_ai.client.token.usage</c>, <c>gen_ai.server.request.duration</c>,
/// <c>gen_ai.server.time_to_first_token</c>, plus gateway series. Labels are bounded: tenant, provider, model, route,
/// outcome — never key, session or account ids.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Gateway.Api";
    public const string ProviderCopilot = "github_copilot";

    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly Counter<long> _limitRefusals;
    private readonly Counter<long> _accountCooldowns;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tokens = meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Tokens used per request, by token type.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304] });
        _duration = meter.CreateHistogram<double>("gen_ai.server.request.duration", "s", "Request duration through the gateway.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
        _timeToFirstToken = meter.CreateHistogram<double>("gen_ai.server.time_to_first_token", "s", "Time until the first response byte reached the client.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0] });
        _activeStreams = meter.CreateUpDownCounter<long>("gateway.active_streams", "{stream}", "Streaming responses in progress.");
        _limitRefusals = meter.CreateCounter<long>("gateway.limit.refusals", "{request}", "Requests refused by a limit (429).");
        _accountCooldowns = meter.CreateCounter<long>("gateway.account.cooldowns", "{cooldown}", "Upstream 429s that put an account in cooldown.");
    }

    public void StreamStarted(string route) => _activeStreams.Add(1, new KeyValuePair<string, object?>("http.route", route));

    public void StreamEnded(string route) => _activeStreams.Add(-1, new KeyValuePair<string, object?>("http.route", route));

    public void LimitRefused(string tenant, string limit)
        => _limitRefusals.Add(1, new("tenant", tenant), new("limit", limit));

    public void AccountCooledDown() => _accountCooldowns.Add(1);

    /// <summary>One finished request: duration, time to first token and tokens by type.</summary>
    public void RequestFinished(UsageRecord record, string operation, string route)
    {
        var outcome = record.Status switch
        {
            >= 200 and < 300 => "success",
            499 => "client_disconnect",
            429 => "rate_limited",
            >= 500 => "upstream_error",
            _ => "client_error",
        };
        var tags = new TagList
        {
            { "gen_ai.operation.name", operation },
            { "gen_ai.provider.name", ProviderCopilot },
            { "gen_ai.request.model", record.Model },
            { "http.route", route },
            { "outcome", outcome },
            { "tenant", record.TenantId },
        };
        if (record.Status is < 200 or >= 300)
        {
            tags.Add("error.type", record.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        _duration.Record(record.LatencyMs / 1000.0, tags);
        if (record.TtftMs is { } ttft)
        {
            _timeToFirstToken.Record(ttft / 1000.0, new TagList
            {
                { "gen_ai.operation.name", operation },
                { "gen_ai.provider.name", ProviderCopilot },
                { "gen_ai.request.model", record.Model },
                { "tenant", record.TenantId },
            });
        }
        if (record.Status is >= 200 and < 300 || record.InputTokens + record.OutputTokens > 0)
        {
            RecordTokens(record.InputTokens, "input", operation, record);
            RecordTokens(record.OutputTokens, "output", operation, record);
            RecordTokens(record.CacheReadInputTokens, "cached_input", operation, record);
            RecordTokens(record.CacheCreationInputTokens, "cache_creation_input", operation, record);
        }
    }

    private void RecordTokens(long count, string type, string operation, UsageRecord record)
    {
        if (count <= 0 && type is "cached_input" or "cache_creation_input")
        {
            return;
        }
        _tokens.Record(count, new TagList
        {
            { "gen_ai.token.type", type },
            { "gen_ai.operation.name", operation },
            { "gen_ai.provider.name", ProviderCopilot },
            { "gen_ai.request.model", record.Model },
            { "tenant", record.TenantId },
        });
    }
}
