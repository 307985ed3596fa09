using Microsoft.Extensions.Logging;
using Gateway.Grains.Abstractions.Limits;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Grains.Limits;

[GenerateSerializer, Alias("gw.TenantAdmissionState")]
public sealed class TenantAdmissionState
{
    [Id(0)] public AdmissionLimits? Limits { get; set; }

    /// <summary>The UTC calendar month <see cref="SpentNanos"/> belongs to, as <c>yyyy-MM</c>.</summary>
    [Id(1)] public string? SpendMonth { get; set; }

    /// <summary>Cost of the month's settled requests, in nano-units of the budget currency.</summary>
    [Id(2)] public long SpentNanos { get; set; }
}

/// <summary>
/// Sliding one-minute windows for requests and tokens, a count of open stream reservations, and the minimum interval
/// between generation requests (SPEC §16.2). Not reentrant: every decision sees the previous one.
/// Reservation bookkeeping is in memory: after a silo loss the windows restart empty, which can only admit more for at
/// most one minute, never refuse wrongly. The month's spend is grain state, written at most once a second after it
/// changes (and on deactivation), so a budgeted tenant's requests do not each wait for a database write; a silo
/// crash loses at most the last second of spend. A failed write (database down) is retried on the next tick while
/// admission goes on from memory.
/// </summary>
public sealed partial class TenantAdmissionGrain(
    [PersistentState("admission", "gateway")] IPersistentState<TenantAdmissionState> state,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<TenantAdmissionGrain> logger) : Grain, ITenantAdmissionGrain
{
    private static readonly TimeSpan SpendWriteInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    /// <summary>A reservation never settled (its front end died) stops counting after this long.</summary>
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromMinutes(30);

    private readonly Queue<DateTimeOffset> _requests = new();
    private readonly Queue<(DateTimeOffset At, Guid Id)> _tokenEvents = new();
    private readonly Dictionary<Guid, Reservation> _reservations = [];
    private readonly Dictionary<Guid, long> _settledTokens = [];
    private DateTimeOffset _nextSlot;
    private bool _spendDirty;
    private IGrainTimer? _spendTimer;

    private AdmissionLimits Limits
    {
        get
        {
            var configured = DefaultLimits();
            return state.State.Limits is not { } pushed
                ? configured
                // rateLimitSeconds from configuration still applies to the default tenant when its record sets no interval.
                : pushed.MinIntervalSeconds is null or <= 0 && configured.MinIntervalSeconds is > 0
                    ? pushed with { MinIntervalSeconds = configured.MinIntervalSeconds, WaitForInterval = configured.WaitForInterval }
                    : pushed;
        }
    }

    public Task<AdmissionLimits> GetLimitsAsync() => Task.FromResult(Limits);

    public Task<BudgetSpend> GetSpendAsync()
    {
        var limits = Limits;
        var now = time.GetUtcNow();
        Expire(now);
        RollMonth(now);
        return Task.FromResult(new BudgetSpend(
            state.State.SpendMonth!, limits.BudgetCurrency ?? AdmissionLimits.DefaultCurrency, state.State.SpentNanos, ReservedCost(),
            limits.MonthlyBudgetNanos));
    }

    public async Task SetLimitsAsync(AdmissionLimits limits)
    {
        state.State.Limits = limits;
        await state.WriteStateAsync();
    }

    public Task<Admission> AdmitAsync(AdmissionRequest request)
    {
        var limits = Limits;
        var now = time.GetUtcNow();
        Expire(now);

        if (limits.Rpm is > 0 and var rpm && _requests.Count >= rpm)
        {
            return Task.FromResult(Admission.Refuse("rpm", _requests.Peek() + Window - now));
        }
        if (limits.Tpm is > 0 and var tpm)
        {
            var used = TokensInWindow();
            if (used + request.EstimatedTokens > tpm && (used > 0 || request.EstimatedTokens > tpm))
            {
                var retry = _tokenEvents.Count > 0 ? _tokenEvents.Peek().At + Window - now : Window;
                return Task.FromResult(Admission.Refuse("tpm", retry));
            }
        }
        if (request.IsStream && limits.ConcurrentStreams is > 0 and var streams && _reservations.Values.Count(r => r.IsStream) >= streams)
        {
            return Task.FromResult(Admission.Refuse("concurrent_streams", TimeSpan.FromSeconds(1)));
        }
        if (limits.MonthlyBudgetNanos is { } budget)
        {
            RollMonth(now);
            // Exhausted, or this request's worst case on top of what is spent and reserved would pass the budget: the
            // reservation is what keeps concurrent long streams from overshooting it together (SPEC §16.2).
            var committed = state.State.SpentNanos + ReservedCost();
            if (committed >= budget || committed + Math.Max(0, request.EstimatedCostNanos) > budget)
            {
                return Task.FromResult(Admission.Refuse("budget", NextMonth(now) - now));
            }
        }
        var delay = TimeSpan.Zero;
        if (limits.MinIntervalSeconds is > 0 and var interval)
        {
            if (_nextSlot > now)
            {
                if (!limits.WaitForInterval)
                {
                    return Task.FromResult(Admission.Refuse("min_interval", _nextSlot - now));
                }
                // Waiting requests are serialised: each takes the next free slot.
                delay = _nextSlot - now;
            }
            _nextSlot = now + delay + TimeSpan.FromSeconds(interval);
        }

        _requests.Enqueue(now);
        _tokenEvents.Enqueue((now, request.ReservationId));
        _reservations[request.ReservationId] = new Reservation(now, request.EstimatedTokens, request.IsStream, Math.Max(0, request.EstimatedCostNanos));
        return Task.FromResult(Admission.Ok(delay));
    }

    public Task SettleAsync(Guid reservationId, long actualTokens, long actualCostNanos)
    {
        if (_reservations.Remove(reservationId))
        {
            // The token window now counts what was really used instead of the estimate.
            _settledTokens[reservationId] = Math.Max(0, actualTokens);
            if (actualCostNanos > 0)
            {
                RollMonth(time.GetUtcNow());
                state.State.SpentNanos += actualCostNanos;
                MarkSpendDirty();
            }
        }
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await WriteSpendAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private long ReservedCost()
    {
        long sum = 0;
        foreach (var reservation in _reservations.Values)
        {
            sum += reservation.EstimatedCostNanos;
        }
        return sum;
    }

    /// <summary>A new UTC month starts with nothing spent.</summary>
    private void RollMonth(DateTimeOffset now)
    {
        var month = now.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        if (state.State.SpendMonth != month)
        {
            var first = state.State.SpendMonth is null && state.State.SpentNanos == 0;
            state.State.SpendMonth = month;
            state.State.SpentNanos = 0;
            if (!first)
            {
                MarkSpendDirty();
            }
        }
    }

    private static DateTimeOffset NextMonth(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }

    private void MarkSpendDirty()
    {
        _spendDirty = true;
        _spendTimer ??= this.RegisterGrainTimer(
            _ => WriteSpendAsync(), new GrainTimerCreationOptions(SpendWriteInterval, SpendWriteInterval) { KeepAlive = false });
    }

    private async Task WriteSpendAsync()
    {
        if (!_spendDirty)
        {
            return;
        }
        _spendDirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            _spendDirty = true;
            LogSpendWriteFailed(logger, this.GetPrimaryKeyString(), ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the month's spend of tenant {Tenant} failed, retrying: {Reason}")]
    private static partial void LogSpendWriteFailed(ILogger logger, string tenant, string reason);

    private long TokensInWindow()
    {
        long sum = 0;
        foreach (var (_, id) in _tokenEvents)
        {
            sum += _reservations.TryGetValue(id, out var open) ? open.EstimatedTokens : _settledTokens.GetValueOrDefault(id);
        }
        return sum;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_requests.Count > 0 && now - _requests.Peek() >= Window)
        {
            _requests.Dequeue();
        }
        while (_tokenEvents.Count > 0 && now - _tokenEvents.Peek().At >= Window)
        {
            var (_, id) = _tokenEvents.Dequeue();
            _settledTokens.Remove(id);
        }
        foreach (var (id, reservation) in _reservations)
        {
            if (now - reservation.At > ReservationLifetime)
            {
                _reservations.Remove(id);
            }
        }
    }

    /// <summary>Standalone's <c>rateLimitSeconds</c> / <c>rateLimitWait</c> apply to the default tenant (SPEC §16.2).</summary>
    private AdmissionLimits DefaultLimits()
        => this.GetPrimaryKeyString() == "default" && options.Value.RateLimitSeconds is > 0 and var seconds
            ? new AdmissionLimits(MinIntervalSeconds: seconds, WaitForInterval: options.Value.RateLimitWait)
            : new AdmissionLimits();

    private readonly record struct Reservation(DateTimeOffset At, long EstimatedTokens, bool IsStream, long EstimatedCostNanos);
}
