using System.Collections.Concurrent;
using Gateway.Api.Auth;
using Gateway.Api.Diagnostics;
using Gateway.Api.Errors;
using Gateway.Api.Usage;
using Gateway.Grains.Abstractions.Limits;

namespace Gateway.Api.Limits;

/// <summary>
/// The front end's side of tenant limits (SPEC §16.2). Tenants without limits cost nothing here (their limits are
/// cached and re-read every few seconds). Limited tenants are admitted by their <see cref="ITenantAdmissionGrain"/> —
/// exact across the cluster — and their reservation is settled with the real token count when the request ends.
/// </summary>
public sealed partial class AdmissionControl(
    IGrainFactory grains, Pricing.PriceCatalog prices, GatewayMetrics metrics, TimeProvider time, ILogger<AdmissionControl> logger)
{
    private static readonly TimeSpan LimitsMaxAge = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (AdmissionLimits Limits, DateTimeOffset FetchedAt)> _limits = new(StringComparer.Ordinal);

    /// <summary>Admits the request or writes the 429; true when the request may go on.</summary>
    /// <param name="model">The model asked for: it prices the reservation of a budgeted tenant.</param>
    /// <param name="promptTokens">Estimated prompt tokens.</param>
    /// <param name="maxOutputTokens">The request's completion allowance (its <c>max_tokens</c>, or a default).</param>
    public async ValueTask<bool> AdmitAsync(HttpContext context, ErrorDialect dialect, string model, long promptTokens, long maxOutputTokens, bool isStream)
    {
        var tenant = context.Caller().TenantId;
        var limits = await GetLimitsAsync(tenant);
        if (limits.IsUnlimited)
        {
            return true;
        }
        var reservation = Guid.CreateVersion7();
        var currency = limits.BudgetCurrency ?? AdmissionLimits.DefaultCurrency;
        var estimatedCost = limits.MonthlyBudgetNanos is null ? 0 : prices.EstimateNanos(model, currency, promptTokens, maxOutputTokens, time.GetUtcNow());
        var admission = await grains.GetGrain<ITenantAdmissionGrain>(tenant).AdmitAsync(
            new AdmissionRequest(reservation, promptTokens + maxOutputTokens, isStream, estimatedCost));
        if (!admission.Admitted)
        {
            metrics.LimitRefused(tenant, admission.RefusedBy ?? "unknown");
            if (admission.RefusedBy == "budget")
            {
                // SPEC §16.2: OpenAI's insufficient_quota (type and code); Anthropic has no such type, so rate_limit_error.
                var budget = UsageCost.ToAmount(limits.MonthlyBudgetNanos ?? 0);
                await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status429TooManyRequests,
                    $"The tenant's monthly budget of {budget.ToString(System.Globalization.CultureInfo.InvariantCulture)} {currency} does not cover this request; it renews at the start of next month (UTC).",
                    type: dialect == ErrorDialect.OpenAI ? "insufficient_quota" : "rate_limit_error",
                    retryAfter: admission.RetryAfter,
                    code: dialect == ErrorDialect.OpenAI ? "insufficient_quota" : null);
                return false;
            }
            var message = admission.RefusedBy == "min_interval" ? "Rate limit exceeded" : $"Rate limit exceeded ({admission.RefusedBy}).";
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status429TooManyRequests, message, retryAfter: admission.RetryAfter);
            return false;
        }
        if (context.Usage() is { } usage)
        {
            usage.Reservation = (tenant, reservation, currency);
        }
        if (admission.Delay > TimeSpan.Zero)
        {
            await Task.Delay(admission.Delay, time, context.RequestAborted);
        }
        return true;
    }

    /// <summary>Replaces the reservation's estimate with what the request really used (also after a disconnect).</summary>
    public void Settle(string tenant, Guid reservation, long actualTokens, long actualCostNanos)
    {
        _ = SettleAsync(tenant, reservation, actualTokens, actualCostNanos);
    }

    /// <summary>Drop cached limits (after an admin change made through this front end).</summary>
    public void Invalidate(string tenant) => _limits.TryRemove(tenant, out _);

    /// <summary>This month's spend of a tenant (admin API).</summary>
    public Task<BudgetSpend> GetSpendAsync(string tenant) => grains.GetGrain<ITenantAdmissionGrain>(tenant).GetSpendAsync();

    private async Task SettleAsync(string tenant, Guid reservation, long actualTokens, long actualCostNanos)
    {
        try
        {
            await grains.GetGrain<ITenantAdmissionGrain>(tenant).SettleAsync(reservation, actualTokens, actualCostNanos);
        }
        catch (Exception ex)
        {
            // The reservation then expires on its own; limits stay correct, only conservative for a while.
            LogSettleFailed(logger, tenant, ex.Message);
        }
    }

    private async ValueTask<AdmissionLimits> GetLimitsAsync(string tenant)
    {
        var now = time.GetUtcNow();
        if (_limits.TryGetValue(tenant, out var cached) && now - cached.FetchedAt < LimitsMaxAge)
        {
            return cached.Limits;
        }
        var limits = await grains.GetGrain<ITenantAdmissionGrain>(tenant).GetLimitsAsync();
        _limits[tenant] = (limits, now);
        return limits;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling a reservation of tenant {Tenant} failed: {Reason}")]
    private static partial void LogSettleFailed(ILogger logger, string tenant, string reason);
}
