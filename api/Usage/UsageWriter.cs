using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Api.Usage;

/// <summary>
/// Moves usage records from the <see cref="UsageRecorder"/> queue and the <see cref="UsageJournal"/> into the
/// <see cref="IUsageStore"/> (DESIGN §2 step 6). A database outage only delays persistence: a failed batch is retried
/// with capped exponential backoff and never dropped, while new records pile up in the queue and then the journal.
/// </summary>
/// <remarks>
/// Shutdown: <see cref="StopAsync"/> closes the queue, and the loop drains it to the store until the host's shutdown
/// token fires; whatever is still unwritten then goes to the journal (synced), replayed at the next start. The store
/// is idempotent by record id, so a batch that committed just as the deadline hit and is also journalled is harmless.
/// </remarks>
public sealed class UsageWriter(
    UsageRecorder recorder,
    IUsageStore store,
    UsageOptions options,
    UsageMetrics metrics,
    TimeProvider time,
    ILogger<UsageWriter> logger) : BackgroundService
{
    private readonly CancellationTokenSource _deadline = new();
    private volatile bool _stopping;
    private int _loopStarted;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        recorder.Complete();
        await using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _deadline))
        {
            // Not passing the host's token: once it fires, the loop spills to the journal and ends within moments,
            // and the host must not dispose the journal under it.
            await base.StopAsync(CancellationToken.None);
            // A stop right after start may cancel the host's Task.Run of ExecuteAsync before it begins (a busy thread
            // pool): then the drain runs here, so a reachable store still gets every record rather than the journal.
            if (Interlocked.Exchange(ref _loopStarted, 1) == 0)
            {
                await ExecuteAsync(_deadline.Token);
            }
        }
        // ExecuteAsync may have faulted: whatever is still queued goes to the journal rather than nowhere.
        var left = 0;
        while (recorder.Reader.TryRead(out var record))
        {
            recorder.Journal.Append(record);
            left++;
        }
        if (left > 0)
        {
            recorder.Journal.Sync();
            metrics.Spilled(left);
            logger.UsageBatchJournalled(left);
        }
    }

    public override void Dispose()
    {
        _deadline.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Interlocked.Exchange(ref _loopStarted, 1);
        var reader = recorder.Reader;
        var batch = new List<UsageRecord>(options.BatchSize);
        Task<bool>? waiting = null;
        while (true)
        {
            if (recorder.Journal.HasPending && !_stopping)
            {
                await ReplayJournalAsync();
            }

            waiting ??= reader.WaitToReadAsync(CancellationToken.None).AsTask();
            if (!waiting.IsCompleted)
            {
                // Wake up now and then to replay records spilled while the queue was idle. Shutdown needs no token
                // here: StopAsync completes the queue first, which completes the wait.
                await Task.WhenAny(waiting, Task.Delay(options.JournalReplayInterval, time, CancellationToken.None));
                if (!waiting.IsCompleted)
                {
                    continue;
                }
            }
            if (!await waiting)
            {
                break;
            }
            waiting = null;

            Fill(batch);
            if (batch.Count < options.BatchSize && !_stopping)
            {
                await DelayAsync(options.BatchDelay, stoppingToken);
                Fill(batch);
            }
            await WriteOrSpillAsync(batch);
            batch.Clear();
        }
        recorder.Journal.Sync();

        void Fill(List<UsageRecord> target)
        {
            while (target.Count < options.BatchSize && reader.TryRead(out var record))
            {
                target.Add(record);
            }
        }
    }

    private async Task WriteOrSpillAsync(List<UsageRecord> batch)
    {
        if (batch.Count == 0 || await WriteWithRetryAsync(batch))
        {
            return;
        }
        foreach (var record in batch)
        {
            recorder.Journal.Append(record);
        }
        recorder.Journal.Sync();
        metrics.Spilled(batch.Count);
        logger.UsageBatchJournalled(batch.Count);
    }

    /// <summary>Replays journal segments oldest first; a segment is deleted only once all its records committed.</summary>
    private async Task ReplayJournalAsync()
    {
        IReadOnlyList<string> segments;
        try
        {
            segments = recorder.Journal.Rotate();
        }
        catch (IOException ex)
        {
            logger.UsageJournalUnreadable(ex, recorder.Journal.DirectoryPath);
            recorder.Journal.MarkPending();
            return;
        }
        foreach (var segment in segments)
        {
            List<UsageRecord> records;
            int malformed;
            try
            {
                records = UsageJournal.ReadSegment(segment, out malformed);
            }
            catch (IOException ex)
            {
                logger.UsageJournalUnreadable(ex, segment);
                recorder.Journal.MarkPending();
                return;
            }
            if (malformed > 0)
            {
                logger.UsageJournalMalformedLines(malformed, segment);
            }
            for (var offset = 0; offset < records.Count; offset += options.BatchSize)
            {
                var chunk = records.GetRange(offset, Math.Min(options.BatchSize, records.Count - offset));
                if (!await WriteWithRetryAsync(chunk))
                {
                    // Shutting down: the segment stays and is replayed at the next start.
                    recorder.Journal.MarkPending();
                    return;
                }
            }
            UsageJournal.Delete(segment);
            logger.UsageJournalReplayed(records.Count, segment);
        }
    }

    /// <summary>True once the batch committed; false only when the shutdown deadline ends the retries.</summary>
    private async Task<bool> WriteWithRetryAsync(IReadOnlyList<UsageRecord> batch)
    {
        var delay = options.InitialRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            if (_deadline.IsCancellationRequested)
            {
                return false;
            }
            try
            {
                await store.WriteBatchAsync(batch, _deadline.Token);
                metrics.Committed(batch, time.GetUtcNow());
                return true;
            }
            catch (OperationCanceledException) when (_deadline.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex)
            {
                metrics.WriteFailed();
                logger.UsageBatchFailed(ex, batch.Count, attempt, delay.TotalMilliseconds);
            }
            if (!await DelayAsync(delay, _deadline.Token))
            {
                return false;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
