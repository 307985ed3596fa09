using Gateway.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>
/// In-process Orleans clusters wired with <see cref="PostgresHosting"/> only: ADO.NET clustering, the "gateway"
/// grain storage and ADO.NET reminders, all on the schema from the migrator.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresFixture fixture)
{
    [Fact]
    public async Task TwoSilos_OverAdoNetClustering_FormOneClusterThatTheClientReaches()
    {
        var shared = await fixture.GetSharedClusterAsync();
        var expected = shared.Cluster.Silos.Select(s => s.SiloAddress.ToParsableString()).Order().ToArray();

        var hosts = await shared.Cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var rows = await Sql.QueryAsync(shared.ConnectionString,
            "SELECT Address, Port, Generation, Status FROM OrleansMembershipTable WHERE DeploymentId = @id",
            r => (Silo: $"{r.GetString(0)}:{r.GetInt32(1)}@{r.GetInt32(2)}", Status: r.GetInt32(3)), ("id", shared.ClusterId));

        Assert.Equal(2, expected.Length);
        Assert.Equal(expected, hosts.Keys.Select(s => s.ToParsableString()).Order());
        Assert.Equal(expected.Select(s => (s, (int)SiloStatus.Active)), rows.OrderBy(r => r.Silo, StringComparer.Ordinal));
    }

    [Fact]
    public async Task PersistentState_WrittenThenReadByANewClusterWithTheSameServiceId_IsReadBack()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var (serviceId, firstClusterId) = PostgresTestCluster.NewIds();
        var first = await PostgresTestCluster.StartAsync(connectionString, serviceId, firstClusterId, silos: 1);
        PersistentTestSnapshot written;
        try
        {
            written = await first.GrainFactory.GetGrain<IPersistentTestGrain>("restart").SetAsync("hello from the first cluster");
        }
        finally
        {
            await PostgresTestCluster.StopAsync(first);
        }

        var secondClusterId = PostgresTestCluster.NewIds().ClusterId;
        var second = await PostgresTestCluster.StartAsync(connectionString, serviceId, secondClusterId, silos: 1);
        try
        {
            var read = await second.GrainFactory.GetGrain<IPersistentTestGrain>("restart").GetAsync();

            Assert.Equal(new PersistentTestSnapshot("hello from the first cluster", "1", RecordExists: true), written);
            Assert.Equal(written, read);
        }
        finally
        {
            await PostgresTestCluster.StopAsync(second);
        }
    }

    [Fact]
    public async Task PersistentState_TwoGrainTypesWithTheSameKeyAndStateName_KeepSeparateRows()
    {
        var shared = await fixture.GetSharedClusterAsync();
        var key = "same-key-" + Guid.NewGuid().ToString("N");
        var first = shared.Cluster.GrainFactory.GetGrain<IPersistentTestGrain>(key);
        var second = shared.Cluster.GrainFactory.GetGrain<ISecondPersistentTestGrain>(key);

        await first.SetAsync("first type");
        await second.SetAsync("second type");
        await shared.Cluster.DeactivateAsync(first.GetGrainId());
        await shared.Cluster.DeactivateAsync(second.GetGrainId());

        Assert.Equal(new PersistentTestSnapshot("first type", "1", RecordExists: true), await first.GetAsync());
        Assert.Equal(new PersistentTestSnapshot("second type", "1", RecordExists: true), await second.GetAsync());
        var rows = await Sql.QueryAsync(shared.ConnectionString,
            """
            SELECT GrainTypeString FROM OrleansStorage
            WHERE ServiceId = @service AND GrainIdExtensionString = @key ORDER BY GrainTypeString
            """,
            r => r.GetString(0), ("service", shared.ServiceId), ("key", key));
        Assert.Equal(["persistenttest/s", "secondpersistenttest/s"], rows);
    }

    [Fact]
    public async Task GrainStorage_TwoWritersWithTheSameETag_SecondWriterGetsInconsistentStateException()
    {
        var shared = await fixture.GetSharedClusterAsync();
        var storage = SiloServices(shared.Cluster).GetRequiredKeyedService<IGrainStorage>(PostgresHosting.GrainStorageName);
        var grainId = GrainId.Create("persistenttest", "two-writers");
        var firstWriter = new GrainState<PersistentTestState>(new PersistentTestState { Value = "first" });
        var secondWriter = new GrainState<PersistentTestState>(new PersistentTestState { Value = "second" });

        // Both start from "no record": only the first insert may win.
        await storage.WriteStateAsync("s", grainId, firstWriter);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", grainId, secondWriter));

        // Both hold ETag "1": after the first writer moves the row to "2", the second one's write must fail.
        await storage.ReadStateAsync("s", grainId, secondWriter);
        firstWriter.State = new PersistentTestState { Value = "first again" };
        await storage.WriteStateAsync("s", grainId, firstWriter);
        secondWriter.State = new PersistentTestState { Value = "lost update" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", grainId, secondWriter));

        var reader = new GrainState<PersistentTestState>(new PersistentTestState());
        await storage.ReadStateAsync("s", grainId, reader);
        Assert.Equal(("first again", "2", true), (reader.State?.Value, reader.ETag, reader.RecordExists));
    }

    [Fact]
    public async Task ClearStateAsync_AfterWrite_ResetsTheStateAndKeepsTheVersionMovingForward()
    {
        var shared = await fixture.GetSharedClusterAsync();
        var grain = shared.Cluster.GrainFactory.GetGrain<IPersistentTestGrain>("clear-" + Guid.NewGuid().ToString("N"));

        var written = await grain.SetAsync("to be cleared");
        var cleared = await grain.ClearAsync();
        var rewritten = await grain.SetAsync("after clear");

        Assert.Equal(new PersistentTestSnapshot("to be cleared", "1", RecordExists: true), written);
        Assert.Equal(new PersistentTestSnapshot(null, "2", RecordExists: false), cleared);
        Assert.Equal(new PersistentTestSnapshot("after clear", "3", RecordExists: true), rewritten);
    }

    [Fact]
    public async Task ClearStateAsync_ThenNewActivation_ReadsNoRecord()
    {
        var shared = await fixture.GetSharedClusterAsync();
        var grain = shared.Cluster.GrainFactory.GetGrain<IPersistentTestGrain>("clear-reload-" + Guid.NewGuid().ToString("N"));
        await grain.SetAsync("to be cleared");
        await grain.ClearAsync();

        await shared.Cluster.DeactivateAsync(grain.GetGrainId());
        var reloaded = await grain.GetAsync();

        Assert.Equal(new PersistentTestSnapshot(null, "2", RecordExists: false), reloaded);
    }

    [Fact]
    public async Task Reminder_Registered_IsStoredAndReadBackThenUnregistered()
    {
        var shared = await fixture.GetSharedClusterAsync();
        var key = "reminders-" + Guid.NewGuid().ToString("N");
        var grain = shared.Cluster.GrainFactory.GetGrain<IReminderTestGrain>(key);

        await grain.RegisterAsync("hourly", dueTime: TimeSpan.FromHours(1), period: TimeSpan.FromHours(1));
        await grain.RegisterAsync("daily", dueTime: TimeSpan.FromHours(1), period: TimeSpan.FromDays(1));
        var listed = await grain.ListAsync();
        var rows = await ReadReminderRowsAsync(shared, grain);
        await grain.UnregisterAsync("hourly");
        var afterUnregister = await grain.ListAsync();

        Assert.Equal(["daily", "hourly"], listed);
        Assert.Equal([("daily", 86_400_000L), ("hourly", 3_600_000L)], rows);
        Assert.Equal(["daily"], afterUnregister);
        Assert.Equal([("daily", 86_400_000L)], await ReadReminderRowsAsync(shared, grain));
    }

    private static Task<List<(string Name, long PeriodMs)>> ReadReminderRowsAsync(
        PostgresFixture.SharedCluster shared, IReminderTestGrain grain)
        => Sql.QueryAsync(shared.ConnectionString,
            """
            SELECT ReminderName, Period FROM OrleansRemindersTable
            WHERE ServiceId = @service AND GrainId = @grain ORDER BY ReminderName
            """,
            r => (r.GetString(0), r.GetInt64(1)),
            ("service", shared.ServiceId), ("grain", grain.GetGrainId().ToString()));

    private static IServiceProvider SiloServices(TestCluster cluster)
        => ((InProcessSiloHandle)cluster.Silos[0]).SiloHost.Services;
}
