using Gateway.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>Drives the Orleans ADO.NET reminder table directly against our SQL (0001_orleans.sql).</summary>
[Collection(PostgresCollection.Name)]
public sealed class AdoNetReminderTableContractTests(PostgresFixture fixture)
{
    private static readonly DateTime _start = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task UpsertRow_NewThenExisting_ReturnsIncreasingETagsAndReadsBack()
    {
        var table = await CreateTableAsync(await fixture.CreateMigratedDatabaseAsync(), "svc");
        var grain = GrainId.Create("remindertest", "a");
        // Periods above int.MaxValue milliseconds are bound as bigint by the provider.
        var entry = Reminder(grain, "daily", TimeSpan.FromDays(30));

        var first = await table.UpsertRow(entry);
        entry.Period = TimeSpan.FromMinutes(10);
        entry.StartAt = _start.AddHours(1);
        var second = await table.UpsertRow(entry);

        Assert.Equal(("0", "1"), (first, second));
        entry.ETag = second;
        Assert.Equal(Describe(entry), Describe(await table.ReadRow(grain, "daily")));
        Assert.Null(await table.ReadRow(grain, "missing"));
        var forGrain = await table.ReadRows(grain);
        Assert.Equal([Describe(entry)], forGrain.Reminders.Select(Describe));
    }

    [Fact]
    public async Task RemoveRow_StaleETagKeepsTheReminder_CurrentETagDeletesIt()
    {
        var table = await CreateTableAsync(await fixture.CreateMigratedDatabaseAsync(), "svc");
        var grain = GrainId.Create("remindertest", "a");
        await table.UpsertRow(Reminder(grain, "r", TimeSpan.FromMinutes(5)));
        var current = await table.UpsertRow(Reminder(grain, "r", TimeSpan.FromMinutes(6)));

        Assert.False(await table.RemoveRow(grain, "r", "0"));
        Assert.NotNull(await table.ReadRow(grain, "r"));
        Assert.True(await table.RemoveRow(grain, "r", current!));
        Assert.Null(await table.ReadRow(grain, "r"));
    }

    [Fact]
    public async Task ReadRows_ByRingRange_ReturnsThisServicesRemindersInsideTheRange()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var table = await CreateTableAsync(connectionString, "svc");
        var otherService = await CreateTableAsync(connectionString, "other-svc");
        var grains = new[] { "a", "b", "c" }.Select(k => GrainId.Create("remindertest", k)).ToArray();
        Assert.Equal(3, grains.Select(g => g.GetUniformHashCode()).Distinct().Count());
        foreach (var grain in grains)
        {
            await table.UpsertRow(Reminder(grain, "r", TimeSpan.FromMinutes(5)));
            await otherService.UpsertRow(Reminder(grain, "r", TimeSpan.FromMinutes(5)));
        }

        foreach (var grain in grains)
        {
            var hash = grain.GetUniformHashCode();
            var others = grains.Where(g => g != grain).Select(g => g.ToString()).Order().ToArray();

            // (hash - 1, hash]: a non-wrapping range in signed order (ReadRangeRows1Key) holding just this grain.
            var narrow = await table.ReadRows(hash - 1, hash);
            Assert.Equal([grain.ToString()], narrow.Reminders.Select(r => r.GrainId.ToString()));

            // (hash, hash - 1]: the rest of the ring, which wraps (ReadRangeRows2Key).
            var rest = await table.ReadRows(hash, hash - 1);
            Assert.Equal(others, rest.Reminders.Select(r => r.GrainId.ToString()).Order());
        }

        var everything = await table.ReadRows(0u, 0u);
        Assert.Equal(grains.Select(g => g.ToString()).Order(), everything.Reminders.Select(r => r.GrainId.ToString()).Order());
    }

    [Fact]
    public async Task TestOnlyClearTable_DeletesOnlyThisServicesReminders()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var table = await CreateTableAsync(connectionString, "svc");
        var otherService = await CreateTableAsync(connectionString, "other-svc");
        var grain = GrainId.Create("remindertest", "a");
        await table.UpsertRow(Reminder(grain, "r", TimeSpan.FromMinutes(5)));
        await otherService.UpsertRow(Reminder(grain, "r", TimeSpan.FromMinutes(5)));

        await table.TestOnlyClearTable();

        Assert.Empty((await table.ReadRows(grain)).Reminders);
        Assert.Single((await otherService.ReadRows(grain)).Reminders);
    }

    /// <summary>The provider's table class is internal: resolve it the way a silo does, as IReminderTable.</summary>
    private static async Task<IReminderTable> CreateTableAsync(string connectionString, string serviceId)
    {
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = "cluster";
            options.ServiceId = serviceId;
        });
        services.UseAdoNetReminderService(builder => builder.Configure(options =>
        {
            options.Invariant = PostgresHosting.Invariant;
            options.ConnectionString = connectionString;
        }));
        var table = services.BuildServiceProvider().GetRequiredService<IReminderTable>();
        await table.StartAsync();
        return table;
    }

    private static ReminderEntry Reminder(GrainId grain, string name, TimeSpan period) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = _start,
        Period = period,
    };

    private static (string Grain, string Name, DateTime StartAt, TimeSpan Period, string? ETag) Describe(ReminderEntry? e)
        => e is null ? default : (e.GrainId.ToString(), e.ReminderName, e.StartAt, e.Period, e.ETag);
}
