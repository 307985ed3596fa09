using Gateway.Api.Auth;
using Gateway.Api.Diagnostics;
using Gateway.Api.Endpoints;

namespace Gateway.Api.Usage;

/// <summary>
/// Turns every tracked request into exactly one usage record when it ends — success, upstream error, bad input or a
/// client disconnect (499) — and updates the request metrics at once (DESIGN §2 step 6).
/// </summary>
public sealed class UsageMiddleware(
    RequestDelegate next, IEnumerable<IUsageRecorder> recorders, GatewayMetrics metrics, Limits.AdmissionControl admission, Pricing.PriceCatalog prices)
{
    private readonly IUsageRecorder[] _recorders = recorders.ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            if (context.Usage() is { } usage)
            {
                Finish(context, usage);
            }
        }
    }

    private void Finish(HttpContext context, RequestUsage usage)
    {
        var caller = context.Caller();
        var status = context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode;
        var tokens = usage.Tokens;
        var now = DateTimeOffset.UtcNow;
        var input = Math.Max(0, tokens.InputTokens);
        var output = Math.Max(0, tokens.OutputTokens);
        var cacheRead = Math.Max(0, tokens.CacheReadInputTokens);
        var cacheCreation = Math.Max(0, tokens.CacheCreationInputTokens);
        var cost = input + output + cacheRead + cacheCreation == 0
            ? null
            : prices.Cost(usage.Model, usage.ProviderName, input, output, cacheRead, cacheCreation, usage.ExplicitCache, now);
        var record = new UsageRecord
        {
            Id = Guid.CreateVersion7(),
            CreatedAt = now,
            TraceId = context.Items[CrossCuttingMiddleware.TraceIdItem] as string ?? "",
            SessionId = usage.SessionId,
            UserId = usage.UserId,
            TenantId = caller.TenantId,
            KeyId = caller.KeyId,
            Account = usage.Account,
            Source = usage.Source,
            ProviderName = usage.ProviderName,
            Endpoint = usage.Endpoint,
            Model = usage.Model,
            Status = status,
            Initiator = usage.Initiator,
            LatencyMs = usage.ElapsedMs,
            TtftMs = usage.TimeToFirstByteMs,
            InputTokens = input,
            OutputTokens = output,
            CacheReadInputTokens = cacheRead,
            CacheCreationInputTokens = cacheCreation,
            TotalTokens = Math.Max(0, tokens.EffectiveTotal),
            CostCurrency = cost?.Currency,
            CostNanos = cost?.Nanos ?? 0,
        };
        // The route pattern, not the raw path, keeps the label set bounded.
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? usage.Endpoint;
        metrics.RequestFinished(record, usage.Operation, route);
        foreach (var recorder in _recorders)
        {
            recorder.Record(record);
        }
        if (usage.Reservation is { } reservation)
        {
            // Only a cost in the budget's currency counts against it.
            var spent = string.Equals(record.CostCurrency, reservation.Currency, StringComparison.OrdinalIgnoreCase) ? record.CostNanos : 0;
            admission.Settle(reservation.Tenant, reservation.Id, record.TotalTokens, spent);
        }
    }
}
