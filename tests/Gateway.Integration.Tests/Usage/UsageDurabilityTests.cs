using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gateway.Api.Usage;
using Gateway.Grains.Storage.Postgres;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using Gateway.Testing.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Integration.Tests.Usage;

/// <summary>
/// "A database outage delays persistence only" (DESIGN §2 step 6): no record is lost or doubled when Postgres stops
/// mid-burst and comes back, or when the gateway process is stopped gracefully mid-burst and started again.
/// </summary>
public sealed class UsageDurabilityTests
{
    private static readonly TimeSpan _settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PostgresStoppedMidBurst_EveryRecordIsStoredExactlyOnceAfterItReturns()
    {
        await using var postgres = await PostgresServer.StartOwnServerAsync();
        await PostgresMigrator.MigrateAsync(postgres.ConnectionString, null, CancellationToken.None);
        await using var store = new PostgresUsageStore(postgres.ConnectionString);
        var journalDirectory = Directory.CreateTempSubdirectory("gw-usage-outage-").FullName;
        await using var metricsServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new UsageOptions
        {
            QueueCapacity = 100,
            BatchSize = 50,
            BatchDelay = TimeSpan.FromMilliseconds(10),
            InitialRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            JournalReplayInterval = TimeSpan.FromMilliseconds(100),
        };
        var journal = new UsageJournal(journalDirectory);
        var metrics = new UsageMetrics(metricsServices.GetRequiredService<IMeterFactory>());
        var recorder = new UsageRecorder(options, journal, metrics);
        using var writer = new UsageWriter(recorder, store, options, metrics, TimeProvider.System, NullLogger<UsageWriter>.Instance);
        var recorded = new List<Guid>();
        long spilled = 0, failures = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == UsageMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "gateway.usage.records.spilled")
            {
                Interlocked.Add(ref spilled, value);
            }
            else if (instrument.Name == "gateway.usage.write.failures")
            {
                Interlocked.Add(ref failures, value);
            }
        });
        listener.Start();
        try
        {
            await writer.StartAsync(CancellationToken.None);

            await BurstAsync(recorder, recorded, 300);
            await postgres.StopAsync();
            // 500 records while the database is down: 100 wait in the queue, the rest spill to the journal.
            await BurstAsync(recorder, recorded, 500);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await postgres.StartAgainAsync();
            await BurstAsync(recorder, recorded, 200);

            var stored = await WaitForRowsAsync(() => ReadPostgresIdsAsync(postgres.ConnectionString), recorded.Count);

            Assert.Equal(recorded.Count, stored.Count);
            Assert.Equal(recorded.Order(), stored.Order());
            Assert.True(Interlocked.Read(ref spilled) > 0, "expected the outage to spill records to the journal");
            Assert.True(Interlocked.Read(ref failures) > 0, "expected failed writes during the outage");
        }
        finally
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await writer.StopAsync(deadline.Token);
            journal.Dispose();
            Directory.Delete(journalDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task GatewayStoppedGracefullyMidBurst_RestartWritesEveryRecordExactlyOnce()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("gw-usage-stop-").FullName;
        void Configure(Dictionary<string, string?> overrides)
        {
            overrides["Gateway:auth:apiKeys:0"] = "stop-test-key";
            // A small queue so that part of the burst goes through the journal as well.
            overrides["Gateway:usage:queueCapacity"] = "200";
            overrides["Gateway:usage:batchSize"] = "100";
        }
        try
        {
            var recorded = new ConcurrentBag<Guid>();
            var first = await GatewayTestHost.StartAsync(upstream, Configure, dataDir, withAccount: false);
            var recorder = first.Services.GetServices<IUsageRecorder>().First(r => r is not RecentUsageRecorder);
            using var stopped = new CancellationTokenSource();
            var halfway = new TaskCompletionSource();
            var burst = Task.Run(async () =>
            {
                // Keeps recording through the stop and after it: late records must reach the journal too.
                for (var i = 0; i < 3_000 || !stopped.IsCancellationRequested; i++)
                {
                    var record = NewRecord();
                    recorder.Record(record);
                    recorded.Add(record.Id);
                    if (i == 1_000)
                    {
                        halfway.TrySetResult();
                    }
                    if (i % 20 == 0)
                    {
                        await Task.Yield();
                    }
                }
            });

            await halfway.Task;
            await first.DisposeAsync();
            await stopped.CancelAsync();
            await burst;

            await using var second = await GatewayTestHost.StartAsync(upstream, Configure, dataDir, withAccount: false);
            var stored = await WaitForRowsAsync(() => ReadSqliteIdsAsync(Path.Combine(dataDir, "gateway.db")), recorded.Count);

            Assert.Equal(recorded.Count, stored.Count);
            Assert.Equal(recorded.Order(), stored.Order());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task BurstAsync(IUsageRecorder recorder, List<Guid> recorded, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var record = NewRecord();
            recorder.Record(record);
            recorded.Add(record.Id);
            if (i % 25 == 0)
            {
                await Task.Delay(1);
            }
        }
    }

    private static UsageRecord NewRecord() => new()
    {
        Id = Guid.NewGuid(),
        CreatedAt = DateTimeOffset.UtcNow,
        TraceId = "burst",
        TenantId = "default",
        Endpoint = "chat_completions",
        Model = "gpt-5-mini",
        Status = 200,
        LatencyMs = 5,
        InputTokens = 3,
        OutputTokens = 4,
        TotalTokens = 7,
    };

    /// <summary>Polls until the table holds at least <paramref name="expected"/> rows (or 60 s pass), then reads once more.</summary>
    private static async Task<List<Guid>> WaitForRowsAsync(Func<Task<List<Guid>>> read, int expected)
    {
        var deadline = DateTime.UtcNow + _settle;
        while (true)
        {
            List<Guid> ids;
            try
            {
                ids = await read();
            }
            catch (Exception ex) when (ex is NpgsqlException or SqliteException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                continue;
            }
            if (ids.Count >= expected || DateTime.UtcNow > deadline)
            {
                // A moment more: a doubled write would show up as an extra row only now.
                await Task.Delay(300);
                return await read();
            }
            await Task.Delay(100);
        }
    }

    private static async Task<List<Guid>> ReadPostgresIdsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM usage_events", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    private static async Task<List<Guid>> ReadSqliteIdsAsync(string path)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM usage_events";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }
        return ids;
    }
}
