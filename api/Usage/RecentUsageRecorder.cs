using System.Collections.Concurrent;

namespace Gateway.Api.Usage;

/// <summary>
/// Keeps the most recent records in memory only. The default until a durable recorder is registered; tests read it
/// to check what the request path recorded.
/// </summary>
public sealed class RecentUsageRecorder : IUsageRecorder
{
    private const int Capacity = 10_000;
    private readonly ConcurrentQueue<UsageRecord> _records = new();

    public IReadOnlyCollection<UsageRecord> Records => _records.ToArray();

    public void Record(UsageRecord record)
    {
        _records.Enqueue(record);
        while (_records.Count > Capacity && _records.TryDequeue(out _))
        {
        }
    }
}
