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
public sealed partial class AdmissionControl(IGrainFactory grains, GatewayMetrics metrics, TimeProvider time, ILogger<AdmissionControl> logger)
{
    private static readonly TimeSpan LimitsMaxAge = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (AdmissionLimits Limits, DateTimeOffset FetchedAt)> _limits = new(StringComparer.Ordinal);

    /// <summary>Admits the request or writes the 429; true when the request may go on.</summary>
    public async ValueTask<bool> AdmitAsync(HttpContext context, ErrorDialect dialect, long estimatedTokens, bool isStream)
    {
        var tenant = context.Caller().TenantId;
        var limits = await GetLimitsAsync(tenant);
        if (limits.IsUnlimited)
        {
            return true;
        }
        var reservation = Guid.CreateVersion7();
        var admission = await grains.GetGrain<ITenantAdmissionGrain>(tenant).AdmitAsync(new AdmissionRequest(reservation, estimatedTokens, isStream));
        if (!admission.Admitted)
        {
            metrics.LimitRefused(tenant, admission.RefusedBy ?? "unknown");
            var message = admission.RefusedBy == "min_interval" ? "Rate limit exceeded" : $"Rate limit exceeded ({admission.RefusedBy}).";
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status429TooManyRequests, message, retryAfter: admission.RetryAfter);
            return false;
        }
        if (context.Usage() is { } usage)
        {
            usage.Reservation = (tenant, reservation);
        }
        if (admission.Delay > TimeSpan.Zero)
        {
            await Task.Delay(admission.Delay, time, context.RequestAborted);
        }
        return true;
    }

    /// <summary>Replaces the reservation's estimate with what the request really used (also after a disconnect).</summary>
    public void Settle(string tenant, Guid reservation, long actualTokens)
    {
        _ = SettleAsync(tenant, reservation, actualTokens);
    }

    /// <summary>Drop cached limits (after an admin change made through this front end).</summary>
    public void Invalidate(string tenant) => _limits.TryRemove(tenant, out _);

    private async Task SettleAsync(string tenant, Guid reservation, long actualTokens)
    {
        try
        {
            await grains.GetGrain<ITenantAdmissionGrain>(tenant).SettleAsync(reservation, actualTokens);
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
