using System.Net;
using Gateway.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>
/// Drives the Orleans ADO.NET membership table directly against our SQL (0001_orleans.sql), checking the
/// optimistic-concurrency contract the membership protocol relies on, not only the happy path a cluster takes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AdoNetClusteringContractTests(PostgresFixture fixture)
{
    private static readonly DateTime _start = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task InsertThenUpdate_WithCurrentVersion_SucceedAndBumpTheTableVersion()
    {
        var (table, _, _) = await CreateTableAsync();
        var empty = await table.ReadAllAsync();
        Assert.Equal(0, empty.Version.Version);
        Assert.Empty(empty.Members);

        var silo = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo, empty.Version.Next()));

        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(1, afterInsert.Version.Version);
        Assert.Equal([Describe(silo)], afterInsert.Members.Select(m => Describe(m.Item1)));
        Assert.Equal(["1"], afterInsert.Members.Select(m => m.Item2));

        var suspector = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 22222), 7);
        silo.Status = SiloStatus.ShuttingDown;
        silo.IAmAliveTime = _start.AddMinutes(1);
        silo.SuspectTimes = [Tuple.Create(suspector, _start.AddSeconds(30))];
        Assert.True(await table.UpdateRowAsync(silo, afterInsert.Members[0].Item2, afterInsert.Version.Next()));

        var row = await table.ReadRowAsync(silo.SiloAddress);
        Assert.Equal(2, row.Version.Version);
        Assert.Equal([Describe(silo)], row.Members.Select(m => Describe(m.Item1)));
    }

    [Fact]
    public async Task InsertAndUpdate_WithStaleVersionOrWrongRow_AreRejectedWithoutChangingTheTable()
    {
        var (table, _, _) = await CreateTableAsync();
        var initial = (await table.ReadAllAsync()).Version;
        var first = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(first, initial.Next()));
        var current = (await table.ReadAllAsync()).Version;

        Assert.False(await table.InsertRowAsync(Entry(11112, SiloStatus.Joining), initial.Next()));
        Assert.False(await table.InsertRowAsync(Entry(11111, SiloStatus.Joining), current.Next()));
        first.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(first, initial.VersionEtag, initial.Next()));
        Assert.False(await table.UpdateRowAsync(Entry(11113, SiloStatus.Dead), current.VersionEtag, current.Next()));

        var after = await table.ReadAllAsync();
        Assert.Equal(1, after.Version.Version);
        first.Status = SiloStatus.Active;
        Assert.Equal([Describe(first)], after.Members.Select(m => Describe(m.Item1)));
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesOnlyTheHeartbeat()
    {
        var (table, _, _) = await CreateTableAsync();
        var silo = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));

        silo.IAmAliveTime = _start.AddMinutes(3);
        await table.UpdateIAmAliveAsync(silo);

        var after = await table.ReadAllAsync();
        Assert.Equal(1, after.Version.Version);
        Assert.Equal([Describe(silo)], after.Members.Select(m => Describe(m.Item1)));
    }

    [Fact]
    public async Task GetGateways_ListsOnlyActiveSilosWithAProxyPort()
    {
        var (table, connectionString, clusterId) = await CreateTableAsync();
        var active = Entry(11111, SiloStatus.Active);
        var joining = Entry(11112, SiloStatus.Joining);
        var noGateway = Entry(11113, SiloStatus.Active);
        noGateway.ProxyPort = 0;
        foreach (var entry in new[] { active, joining, noGateway })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        var provider = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Microsoft.Extensions.Options.Options.Create(new AdoNetClusteringClientOptions
            {
                Invariant = PostgresHosting.Invariant,
                ConnectionString = connectionString,
            }),
            Microsoft.Extensions.Options.Options.Create(new GatewayOptions()),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "svc" }));
        await provider.InitializeGatewayListProviderAsync();

        var gateways = await provider.GetGateways();

        Assert.Equal([new Uri($"gwy.tcp://127.0.0.1:{active.ProxyPort}/{active.SiloAddress.Generation}")], gateways);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CleanupDefunctSiloEntries_RemovesDeadSilosSilentSinceTheCutoff(bool withoutPerRowQuery)
    {
        var (table, connectionString, clusterId) = await CreateTableAsync();
        var oldDead = Entry(11111, SiloStatus.Dead);
        var oldActive = Entry(11112, SiloStatus.Active);
        var recentDead = Entry(11113, SiloStatus.Dead);
        recentDead.IAmAliveTime = _start.AddHours(2);
        foreach (var entry in new[] { oldDead, oldActive, recentDead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        if (withoutPerRowQuery)
        {
            // Without the optional CleanupDefunctSiloEntryKey the provider falls back to the bulk query.
            await Sql.ExecuteAsync(connectionString, "DELETE FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntryKey'");
            table = await CreateTableAsync(connectionString, clusterId);
        }

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(_start.AddHours(1)));

        var after = await table.ReadAllAsync();
        Assert.Equal(
            [Describe(oldActive), Describe(recentDead)],
            after.Members.Select(m => Describe(m.Item1)).OrderBy(d => d.Port));
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_RemovesTheClusterAndItCanStartOver()
    {
        var (table, connectionString, clusterId) = await CreateTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));

        await table.DeleteMembershipTableEntriesAsync(clusterId);

        var rows = await Sql.QueryAsync(connectionString,
            """
            SELECT (SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @id),
                   (SELECT count(*) FROM OrleansMembershipVersionTable WHERE DeploymentId = @id)
            """,
            r => (r.GetInt64(0), r.GetInt64(1)), ("id", clusterId));
        Assert.Equal([(0L, 0L)], rows);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var restarted = await table.ReadAllAsync();
        Assert.Equal(0, restarted.Version.Version);
        Assert.Empty(restarted.Members);
    }

    private async Task<(AdoNetClusteringTable Table, string ConnectionString, string ClusterId)> CreateTableAsync()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var clusterId = PostgresTestCluster.NewIds().ClusterId;
        return (await CreateTableAsync(connectionString, clusterId), connectionString, clusterId);
    }

    private static async Task<AdoNetClusteringTable> CreateTableAsync(string connectionString, string clusterId)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "svc" }),
            Microsoft.Extensions.Options.Options.Create(new AdoNetClusteringSiloOptions
            {
                Invariant = PostgresHosting.Invariant,
                ConnectionString = connectionString,
            }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int port, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 42),
        SiloName = $"silo-{port}",
        HostName = "host-a",
        Status = status,
        ProxyPort = port + 1000,
        StartTime = _start,
        IAmAliveTime = _start.AddSeconds(5),
    };

    /// <summary>
    /// Everything the table stores for a silo, in a form xUnit compares and prints. Suspicion times go through
    /// Orleans' own text format, which drops DateTimeKind, so they are compared as wall-clock text.
    /// </summary>
    private static (string Silo, int Port, string? Name, string Host, SiloStatus Status, int ProxyPort, DateTime Start,
        DateTime Alive, string Suspects) Describe(MembershipEntry e)
        => (e.SiloAddress.ToParsableString(), e.SiloAddress.Endpoint.Port, e.SiloName, e.HostName, e.Status, e.ProxyPort,
            e.StartTime, e.IAmAliveTime,
            string.Join('|', (e.SuspectTimes ?? []).Select(s => $"{s.Item1.ToParsableString()}@{s.Item2:yyyy-MM-ddTHH:mm:ss.fff}")));
}
