using System.Collections.Concurrent;
using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Usage;

/// <summary>
/// An in-memory, idempotent usage store for the write-path tests. It can fail while <see cref="Down"/> is set (as a
/// stopped database does), and counts how often each id was offered and stored.
/// </summary>
internal sealed class FakeUsageStore : IUsageStore
{
    private readonly ConcurrentDictionary<Guid, UsageRecord> _rows = new();
    private int _failures;

    /// <summary>While true, every write throws.</summary>
    public volatile bool Down;

    /// <summary>Optional pause per batch, to keep records in the queue for a while.</summary>
    public TimeSpan WriteDelay { get; set; }

    public int Failures => Volatile.Read(ref _failures);

    public int Batches;

    public IReadOnlyCollection<UsageRecord> Rows => _rows.Values.ToArray();

    public int Count => _rows.Count;

    public async Task<int> WriteBatchAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (WriteDelay > TimeSpan.Zero)
        {
            await Task.Delay(WriteDelay, cancellationToken);
        }
        if (Down)
        {
            Interlocked.Increment(ref _failures);
            throw new InvalidOperationException("database is down");
        }
        Interlocked.Increment(ref Batches);
        return records.Count(r => _rows.TryAdd(r.Id, r));
    }

    /// <summary>Waits (bounded) until the store holds <paramref name="count"/> rows.</summary>
    public async Task WaitForCountAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} stored usage records within {timeout.TotalSeconds} s, found {Count}.");
            }
            await Task.Delay(20);
        }
    }

    public Task<UsageSums> GetTotalsAsync(string tenantId, UsageRange range, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<UsageModelRow>> GetByModelAsync(string tenantId, UsageRange range, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<UsageSeriesPoint>> GetSeriesAsync(string tenantId, IReadOnlyList<DateTimeOffset> bucketStarts, DateTimeOffset end, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<UsageEventsPage> GetEventsAsync(string tenantId, UsageRange range, int page, int pageSize, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<UsageGroupRow>> GroupAsync(UsageRange range, string? tenantId, IReadOnlyList<UsageDimension> groupBy, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DateTimeOffset?> GetFirstRecordTimeAsync(string tenantId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
