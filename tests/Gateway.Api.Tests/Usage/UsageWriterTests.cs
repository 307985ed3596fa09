using System.Diagnostics.Metrics;
using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Usage;

/// <summary>The loss-free write path (DESIGN §2 step 6): queue, journal spill and replay, retries, graceful drain.</summary>
public sealed class UsageWriterTests : IDisposable
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(20);
    private readonly string _journalDirectory = Directory.CreateTempSubdirectory("gw-usage-journal-").FullName;

    public void Dispose() => Directory.Delete(_journalDirectory, recursive: true);

    [Fact]
    public async Task Record_QueueFull_SpillsTheRestToTheJournal()
    {
        var store = new FakeUsageStore();
        await using var pipeline = new UsagePipeline(store, _journalDirectory, new UsageOptions { QueueCapacity = 2 });
        var records = Enumerable.Range(0, 5).Select(i => TestRecords.Create(at: TestRecords.Start.AddSeconds(i))).ToArray();

        foreach (var record in records)
        {
            pipeline.Recorder.Record(record);
        }

        Assert.Equal(2, pipeline.Recorder.QueueDepth);
        var segments = pipeline.Journal.Rotate();
        var segment = Assert.Single(segments);
        Assert.Equal(records[2..], UsageJournal.ReadSegment(segment, out var malformed));
        Assert.Equal(0, malformed);
    }

    [Fact]
    public async Task Start_JournalLeftByEarlierRun_ReplaysItOnceAndDeletesIt()
    {
        var records = Enumerable.Range(0, 7).Select(i => TestRecords.Create(at: TestRecords.Start.AddSeconds(i))).ToArray();
        using (var earlier = new UsageJournal(_journalDirectory))
        {
            foreach (var record in records[..4])
            {
                earlier.Append(record);
            }
            earlier.Rotate();
            foreach (var record in records[4..])
            {
                earlier.Append(record);
            }
        }
        // A crash mid-append leaves a torn last line; replay skips it.
        await File.AppendAllTextAsync(Path.Combine(_journalDirectory, "usage-journal.jsonl"), "{\"id\":\"0f8e4e8e-1d7b");
        var store = new FakeUsageStore();
        await using var pipeline = new UsagePipeline(store, _journalDirectory);

        await pipeline.StartAsync();
        await store.WaitForCountAsync(records.Length, _wait);
        await WaitUntilAsync(() => !Directory.EnumerateFiles(_journalDirectory, "*.jsonl").Any(), "journal files deleted after replay");

        Assert.Equal(records.OrderBy(r => r.Id), store.Rows.OrderBy(r => r.Id));
    }

    [Fact]
    public async Task Writer_StoreFailsForAWhile_RetriesAndWritesEveryRecordExactlyOnce()
    {
        var store = new FakeUsageStore { Down = true };
        await using var pipeline = new UsagePipeline(store, _journalDirectory, new UsageOptions
        {
            QueueCapacity = 50,
            BatchSize = 20,
            BatchDelay = TimeSpan.FromMilliseconds(5),
            InitialRetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(40),
            JournalReplayInterval = TimeSpan.FromMilliseconds(50),
        });
        var written = 0L;
        var failures = 0L;
        using var listener = Listen(pipeline.MeterFactory, (name, value, _) =>
        {
            if (name == "gateway.usage.records.written")
            {
                Interlocked.Add(ref written, value);
            }
            else if (name == "gateway.usage.write.failures")
            {
                Interlocked.Add(ref failures, value);
            }
        });
        await pipeline.StartAsync();
        var records = Enumerable.Range(0, 300).Select(i => TestRecords.Create(at: TestRecords.Start.AddMilliseconds(i))).ToArray();

        // 300 records against a capacity of 50 while the store is down: most of them spill to the journal.
        foreach (var record in records)
        {
            pipeline.Recorder.Record(record);
        }
        await WaitUntilAsync(() => store.Failures >= 3, "at least three failed attempts");
        store.Down = false;
        await store.WaitForCountAsync(records.Length, _wait);
        await WaitUntilAsync(() => !pipeline.Journal.HasPending && !Directory.EnumerateFiles(_journalDirectory, "*.jsonl").Any(),
            "journal replayed and deleted");

        Assert.Equal(records.OrderBy(r => r.Id), store.Rows.OrderBy(r => r.Id));
        Assert.Equal(300, Interlocked.Read(ref written));
        Assert.Equal(store.Failures, Interlocked.Read(ref failures));
        Assert.Equal(0, pipeline.Recorder.QueueDepth);
    }

    [Fact]
    public async Task Stop_StoreReachable_DrainsTheWholeQueueBeforeReturning()
    {
        var store = new FakeUsageStore { WriteDelay = TimeSpan.FromMilliseconds(20) };
        await using var pipeline = new UsagePipeline(store, _journalDirectory, new UsageOptions
        {
            QueueCapacity = 5_000,
            BatchSize = 100,
            BatchDelay = TimeSpan.FromMilliseconds(50),
        });
        await pipeline.StartAsync();
        var records = Enumerable.Range(0, 2_000).Select(i => TestRecords.Create(at: TestRecords.Start.AddMilliseconds(i))).ToArray();
        foreach (var record in records)
        {
            pipeline.Recorder.Record(record);
        }

        await pipeline.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(records.Length, store.Count);
        Assert.Empty(Directory.EnumerateFiles(_journalDirectory, "*.jsonl"));
    }

    /// <summary>
    /// A stop so soon after start that the host never ran the loop (its Task.Run cancelled on a busy thread pool —
    /// played here by never starting it): the queue still drains to the reachable store, not to the journal.
    /// </summary>
    [Fact]
    public async Task Stop_LoopNeverRan_StillDrainsToTheStore()
    {
        var store = new FakeUsageStore();
        await using var pipeline = new UsagePipeline(store, _journalDirectory, new UsageOptions { BatchSize = 100 });
        var records = Enumerable.Range(0, 250).Select(i => TestRecords.Create(at: TestRecords.Start.AddMilliseconds(i))).ToArray();
        foreach (var record in records)
        {
            pipeline.Recorder.Record(record);
        }

        await pipeline.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(records.Length, store.Count);
        Assert.Empty(Directory.EnumerateFiles(_journalDirectory, "*.jsonl"));
    }

    [Fact]
    public async Task Stop_StoreDownUntilDeadline_JournalsTheRestAndNextStartWritesThemOnce()
    {
        var down = new FakeUsageStore { Down = true };
        var records = Enumerable.Range(0, 40).Select(i => TestRecords.Create(at: TestRecords.Start.AddMilliseconds(i))).ToArray();
        await using (var first = new UsagePipeline(down, _journalDirectory, new UsageOptions
        {
            QueueCapacity = 25,
            BatchSize = 10,
            BatchDelay = TimeSpan.FromMilliseconds(5),
            InitialRetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        }))
        {
            await first.StartAsync();
            foreach (var record in records)
            {
                first.Recorder.Record(record);
            }

            await first.StopAsync(TimeSpan.FromMilliseconds(300));

            // After stop, late records (a request finishing during shutdown) go straight to the journal.
            first.Recorder.Record(records[0] with { Id = Guid.NewGuid() });
        }
        Assert.Equal(0, down.Count);

        var journalled = new List<UsageRecord>();
        using (var reader = new UsageJournal(_journalDirectory))
        {
            foreach (var segment in reader.Rotate())
            {
                journalled.AddRange(UsageJournal.ReadSegment(segment, out _));
            }
        }
        Assert.Equal(records.Length + 1, journalled.DistinctBy(r => r.Id).Count());
        Assert.Superset(records.Select(r => r.Id).ToHashSet(), journalled.Select(r => r.Id).ToHashSet());

        var up = new FakeUsageStore();
        await using var second = new UsagePipeline(up, _journalDirectory);
        await second.StartAsync();
        await up.WaitForCountAsync(records.Length + 1, _wait);
        await second.StopAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(journalled.DistinctBy(r => r.Id).OrderBy(r => r.Id), up.Rows.OrderBy(r => r.Id));
        Assert.Empty(Directory.EnumerateFiles(_journalDirectory, "*.jsonl"));
    }

    /// <summary>The loop never ran and the store is down: past the deadline, the queued records are journalled.</summary>
    [Fact]
    public async Task Stop_WriterLoopNeverRan_StoreDown_JournalsTheQueuedRecords()
    {
        var store = new FakeUsageStore { Down = true };
        var records = Enumerable.Range(0, 10).Select(i => TestRecords.Create(at: TestRecords.Start.AddSeconds(i))).ToArray();
        await using (var pipeline = new UsagePipeline(store, _journalDirectory))
        {
            foreach (var record in records)
            {
                pipeline.Recorder.Record(record);
            }

            await pipeline.StopAsync(TimeSpan.FromMilliseconds(500));
        }

        using var reader = new UsageJournal(_journalDirectory);
        var segment = Assert.Single(reader.Rotate());
        Assert.Equal(records, UsageJournal.ReadSegment(segment, out _));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Record_UpdatesRequestAndTokenCountersAtOnce()
    {
        await using var pipeline = new UsagePipeline(new FakeUsageStore(), _journalDirectory);
        var measurements = new List<string>();
        void Add(string instrument, object value, KeyValuePair<string, object?>[] tags)
        {
            if (instrument is "gateway.usage.requests" or "gateway.usage.tokens" or "gateway.usage.cost")
            {
                measurements.Add(FormattableString.Invariant($"{instrument} {value} {string.Join(",", tags.Select(t => $"{t.Key}={t.Value}"))}"));
            }
        }
        using var listener = Listen(pipeline.MeterFactory, (i, v, t) => Add(i, v, t), (i, v, t) => Add(i, v, t));

        pipeline.Recorder.Record(TestRecords.Create(tenant: "acme", model: "claude-sonnet-4.5", input: 10, output: 5, cacheRead: 7, status: 499,
            currency: "USD", costNanos: 1_250_000));

        const string labels = "tenant=acme,provider=copilot,model=claude-sonnet-4.5,route=messages,outcome=cancelled";
        Assert.Equal(
        [
            $"gateway.usage.requests 1 {labels}",
            $"gateway.usage.tokens 10 {labels},type=input",
            $"gateway.usage.tokens 5 {labels},type=output",
            $"gateway.usage.tokens 7 {labels},type=cache_read",
            $"gateway.usage.cost 0.00125 {labels},currency=USD",
        ], measurements);
    }

    [Fact]
    public async Task Writer_Commit_ReportsLagAndQueueDepth()
    {
        var store = new FakeUsageStore();
        await using var pipeline = new UsagePipeline(store, _journalDirectory);
        var lags = new List<double>();
        var depths = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == UsageMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "gateway.usage.write.lag")
            {
                lock (lags)
                {
                    lags.Add(value);
                }
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "gateway.usage.queue.depth")
            {
                depths.Add(value);
            }
        });
        listener.Start();

        pipeline.Recorder.Record(TestRecords.Create(at: DateTimeOffset.UtcNow.AddSeconds(-2)));
        pipeline.Recorder.Record(TestRecords.Create(at: DateTimeOffset.UtcNow.AddSeconds(-2)));
        listener.RecordObservableInstruments();
        await pipeline.StartAsync();
        await store.WaitForCountAsync(2, _wait);
        await WaitUntilAsync(() => { lock (lags) { return lags.Count == 2; } }, "two lag measurements");
        listener.RecordObservableInstruments();

        Assert.Equal([2L, 0L], depths);
        Assert.All(lags, lag => Assert.InRange(lag, 2.0, 30.0));
    }

    private static MeterListener Listen(
        IMeterFactory factory, Action<string, long, KeyValuePair<string, object?>[]> onLong, Action<string, double, KeyValuePair<string, object?>[]>? onDouble = null)
    {
        _ = factory;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == UsageMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => onLong(instrument.Name, value, tags.ToArray()));
        if (onDouble is not null)
        {
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => onDouble(instrument.Name, value, tags.ToArray()));
        }
        listener.Start();
        return listener;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + _wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {_wait.TotalSeconds} s waiting for: {what}.");
            }
            await Task.Delay(20);
        }
    }
}
