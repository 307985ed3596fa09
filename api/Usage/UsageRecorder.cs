using System.Threading.Channels;

namespace Gateway.Api.Usage;

/// <summary>
/// The request path's side of usage (DESIGN §2 step 6): a bounded in-memory queue that <see cref="UsageWriter"/>
/// drains in batches. <see cref="Record"/> never waits: when the queue is full, or closed for shutdown, the record is
/// appended to the <see cref="UsageJournal"/> instead, to be replayed once the database keeps up again.
/// </summary>
public sealed class UsageRecorder : IUsageRecorder
{
    private readonly Channel<UsageRecord> _queue;
    private readonly UsageJournal _journal;
    private readonly UsageMetrics _metrics;

    public UsageRecorder(UsageOptions options, UsageJournal journal, UsageMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        _journal = journal;
        _metrics = metrics;
        _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        metrics.ObserveQueueDepth(() => _queue.Reader.Count);
    }

    /// <summary>Records waiting in memory.</summary>
    public int QueueDepth => _queue.Reader.Count;

    internal ChannelReader<UsageRecord> Reader => _queue.Reader;

    internal UsageJournal Journal => _journal;

    public void Record(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _metrics.Recorded(record);
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }
        _journal.Append(record);
        _metrics.Spilled(1);
    }

    /// <summary>Closes the queue for shutdown: the writer drains what is in it; later records go to the journal.</summary>
    internal void Complete() => _queue.Writer.TryComplete();
}
