namespace Gateway.Grains.Abstractions.Limits;

/// <summary>
/// Admission control for one tenant (SPEC §16.2), keyed by tenant id. Hard limits are decided here, in one
/// activation, so they hold exactly across every front end. Requests are admitted by reservation: the estimated tokens
/// and a concurrency slot are held from admission until <see cref="SettleAsync"/> replaces the estimate with the real
/// count (or the reservation expires, if a front end died). The monthly budget works the same way with cost: the
/// estimated cost is reserved at admission and the real cost is added to the month's spend when the request ends.
/// </summary>
[Alias("gw.ITenantAdmissionGrain")]
public interface ITenantAdmissionGrain : IGrainWithStringKey
{
    [Alias("Admit")]
    Task<Admission> AdmitAsync(AdmissionRequest request);

    /// <param name="actualCostNanos">The request's cost in nano-units of the budget currency (0 when unpriced).</param>
    [Alias("Settle")]
    Task SettleAsync(Guid reservationId, long actualTokens, long actualCostNanos);

    [Alias("SetLimits")]
    Task SetLimitsAsync(AdmissionLimits limits);

    [Alias("GetLimits")]
    Task<AdmissionLimits> GetLimitsAsync();

    /// <summary>This month's spend against the budget (for the admin API).</summary>
    [Alias("GetSpend")]
    Task<BudgetSpend> GetSpendAsync();
}

/// <summary>Limits of a tenant; null or 0 means unlimited.</summary>
[GenerateSerializer, Immutable, Alias("gw.AdmissionLimits")]
public sealed record AdmissionLimits(
    [property: Id(0)] int? Rpm = null,
    [property: Id(1)] long? Tpm = null,
    [property: Id(2)] int? ConcurrentStreams = null,
    [property: Id(3)] double? MinIntervalSeconds = null,
    [property: Id(4)] bool WaitForInterval = false,
    [property: Id(5)] long? MonthlyBudgetNanos = null,
    [property: Id(6)] string? BudgetCurrency = null)
{
    public bool IsUnlimited => Rpm is null or <= 0 && Tpm is null or <= 0 && ConcurrentStreams is null or <= 0
        && MinIntervalSeconds is null or <= 0 && MonthlyBudgetNanos is null;

    /// <summary>The currency budgets are kept in when the tenant's budget names none.</summary>
    public const string DefaultCurrency = "USD";
}

[GenerateSerializer, Immutable, Alias("gw.AdmissionRequest")]
public sealed record AdmissionRequest(
    [property: Id(0)] Guid ReservationId,
    [property: Id(1)] long EstimatedTokens,
    [property: Id(2)] bool IsStream,
    [property: Id(3)] long EstimatedCostNanos = 0);

/// <summary>
/// Admitted (possibly after waiting <see cref="Delay"/>, for <c>rateLimitWait</c>), or refused with the limit that
/// refused it and when to retry.
/// </summary>
[GenerateSerializer, Immutable, Alias("gw.Admission")]
public sealed record Admission(
    [property: Id(0)] bool Admitted,
    [property: Id(1)] TimeSpan Delay,
    [property: Id(2)] string? RefusedBy,
    [property: Id(3)] TimeSpan RetryAfter)
{
    public static Admission Ok(TimeSpan delay = default) => new(true, delay, null, TimeSpan.Zero);

    public static Admission Refuse(string limit, TimeSpan retryAfter) => new(false, TimeSpan.Zero, limit, retryAfter);
}

/// <summary>
/// A tenant's calendar month (UTC, <c>yyyy-MM</c>): what settled requests cost, what open reservations may still
/// cost, and the budget, all in nano-units of <see cref="Currency"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("gw.BudgetSpend")]
public sealed record BudgetSpend(
    [property: Id(0)] string Month,
    [property: Id(1)] string Currency,
    [property: Id(2)] long SpentNanos,
    [property: Id(3)] long ReservedNanos,
    [property: Id(4)] long? BudgetNanos);
