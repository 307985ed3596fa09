using System.Diagnostics;

namespace Gateway.Api.Usage;

/// <summary>
/// What one generation request has learned about itself so far (model, account, initiator, tokens, time to first
/// byte). Handlers and relays fill it in; <see cref="UsageMiddleware"/> turns it into exactly one
/// <see cref="UsageRecord"/> when the request ends, whatever the outcome.
/// </summary>
public sealed class RequestUsage
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private long _firstByteTimestamp;

    private readonly Diagnostics.GatewayMetrics? _metrics;
    private string? _streamRoute;

    public RequestUsage(string endpoint, string operation, Diagnostics.GatewayMetrics? metrics = null)
    {
        Endpoint = endpoint;
        Operation = operation;
        _metrics = metrics;
    }

    /// <summary>A streaming response starts (the active-streams gauge counts it until <see cref="StreamEnded"/>).</summary>
    public void StreamStarted(string route)
    {
        IsStream = true;
        _streamRoute = route;
        _metrics?.StreamStarted(route);
    }

    public void StreamEnded()
    {
        if (_streamRoute is { } route)
        {
            _metrics?.StreamEnded(route);
            _streamRoute = null;
        }
    }

    /// <summary>SPEC §15.2 <c>endpoint</c>: <c>chat_completions</c>, <c>embeddings</c>, <c>messages</c>, …</summary>
    public string Endpoint { get; }

    /// <summary>GenAI <c>gen_ai.operation.name</c>: <c>chat</c> or <c>embeddings</c>.</summary>
    public string Operation { get; }

    public string Model { get; set; } = "";

    public string Account { get; set; } = "";

    /// <summary>SPEC §15.2 <c>source</c>: <c>copilot</c>, <c>codex</c> or <c>provider</c>.</summary>
    public string Source { get; set; } = "copilot";

    /// <summary>SPEC §15.2 <c>provider_name</c>; null for Copilot. Also selects the provider's own model pricing.</summary>
    public string? ProviderName { get; set; }

    public string? Initiator { get; set; }

    public string SessionId { get; set; } = "";

    public string UserId { get; set; } = "";

    public TokenUsage Tokens { get; set; }

    public bool IsStream { get; set; }

    /// <summary>
    /// The tenant admission reservation to settle when the request ends, if the tenant has limits, with the currency
    /// its budget counts in.
    /// </summary>
    public (string Tenant, Guid Id, string Currency)? Reservation { get; set; }

    /// <summary>The request marks explicit <c>cache_control</c> breakpoints: cache reads use <c>explicitCachedInput</c>.</summary>
    public bool ExplicitCache { get; set; }

    public long StartTimestamp => _startTimestamp;

    /// <summary>Called when the first response byte is about to go to the client.</summary>
    public void MarkFirstByte()
    {
        if (_firstByteTimestamp == 0)
        {
            _firstByteTimestamp = Stopwatch.GetTimestamp();
        }
    }

    public int? TimeToFirstByteMs => _firstByteTimestamp == 0 ? null : (int)Stopwatch.GetElapsedTime(_startTimestamp, _firstByteTimestamp).TotalMilliseconds;

    public int ElapsedMs => (int)Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds;
}

public static class RequestUsageExtensions
{
    /// <summary>Starts usage tracking for this request (generation and embeddings routes).</summary>
    public static RequestUsage TrackUsage(this HttpContext context, string endpoint, string operation)
    {
        var usage = new RequestUsage(endpoint, operation, context.RequestServices.GetService<Diagnostics.GatewayMetrics>());
        context.Features.Set(usage);
        return usage;
    }

    public static RequestUsage? Usage(this HttpContext context) => context.Features.Get<RequestUsage>();
}
