namespace Gateway.Api.Usage;

/// <summary>
/// Durable usage records (DESIGN §4): SQLite in standalone, Postgres in cluster mode, both passing one contract.
/// Every query is bounded by a time range; the tenant-scoped ones serve SPEC §15.3, <see cref="GroupAsync"/> §16.1.
/// </summary>
public interface IUsageStore
{
    /// <summary>
    /// Writes the batch atomically. Idempotent by <see cref="UsageRecord.Id"/>: rows already stored are skipped, so a
    /// retried batch or a replayed journal never doubles a record. Returns how many rows were new.
    /// </summary>
    Task<int> WriteBatchAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    Task<UsageSums> GetTotalsAsync(string tenantId, UsageRange range, CancellationToken cancellationToken);

    /// <summary>Sums per (model, provider), most total tokens first.</summary>
    Task<IReadOnlyList<UsageModelRow>> GetByModelAsync(string tenantId, UsageRange range, CancellationToken cancellationToken);

    /// <summary>
    /// Sums per bucket: bucket i is <c>[bucketStarts[i], bucketStarts[i + 1])</c>, the last one ends at
    /// <paramref name="end"/>. Every bucket is returned, empty ones with zero sums.
    /// </summary>
    Task<IReadOnlyList<UsageSeriesPoint>> GetSeriesAsync(
        string tenantId, IReadOnlyList<DateTimeOffset> bucketStarts, DateTimeOffset end, CancellationToken cancellationToken);

    /// <summary>Records newest first (ties by id); <paramref name="page"/> counts from 1.</summary>
    Task<UsageEventsPage> GetEventsAsync(
        string tenantId, UsageRange range, int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>Across tenants, or one when <paramref name="tenantId"/> is set; rows ordered by their keys.</summary>
    Task<IReadOnlyList<UsageGroupRow>> GroupAsync(
        UsageRange range, string? tenantId, IReadOnlyList<UsageDimension> groupBy, CancellationToken cancellationToken);

    /// <summary>When the tenant's first record was made, or null if it has none (the start of <c>lifetime</c>).</summary>
    Task<DateTimeOffset?> GetFirstRecordTimeAsync(string tenantId, CancellationToken cancellationToken);
}
