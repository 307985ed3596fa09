using Gateway.Grains.Abstractions.Limits;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Grains.Limits;

[GenerateSerializer, Alias("gw.TenantAdmissionState")]
public sealed class TenantAdmissionState
{
    [Id(0)] public AdmissionLimits? Limits { get; set; }
}

/// <summary>
/// Sliding one-minute windows for requests and tokens, a count of open stream reservations, and the minimum interval
/// between generation requests (SPEC §16.2). Not reentrant: every decision sees the previous one.
/// Reservation bookkeeping is in memory: after a silo loss the windows restart empty, which can only admit more for at
/// most one minute, never refuse wrongly.
/// </summary>
public sealed class TenantAdmissionGrain(
    [PersistentState("admission", "gateway")] IPersistentState<TenantAdmissionState> state,
    IOptions<GatewayOptions> options,
    TimeProvider time) : Grain, ITenantAdmissionGrain
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    /// <summary>A reservation never settled (its front end died) stops counting after this long.</summary>
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromMinutes(30);

    private readonly Queue<DateTimeOffset> _requests = new();
    private readonly Queue<(DateTimeOffset At, Guid Id)> _tokenEvents = new();
    private readonly Dictionary<Guid, Reservation> _reservations = [];
    private readonly Dictionary<Guid, long> _settledTokens = [];
    private DateTimeOffset _nextSlot;

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
        _reservations[request.ReservationId] = new Reservation(now, request.EstimatedTokens, request.IsStream);
        return Task.FromResult(Admission.Ok(delay));
    }

    public Task SettleAsync(Guid reservationId, long actualTokens)
    {
        if (_reservations.Remove(reservationId))
        {
            // The token window now counts what was really used instead of the estimate.
            _settledTokens[reservationId] = Math.Max(0, actualTokens);
        }
        return Task.CompletedTask;
    }

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

    private readonly record struct Reservation(DateTimeOffset At, long EstimatedTokens, bool IsStream);
}
