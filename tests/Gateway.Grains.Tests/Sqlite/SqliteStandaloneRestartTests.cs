namespace Gateway.Grains.Tests.Sqlite;

/// <summary>Standalone survives a restart (DESIGN.md §1: "nothing lost on restart").</summary>
public sealed class SqliteStandaloneRestartTests
{
    [Fact]
    public async Task StateWrittenBeforeRestart_IsReadByNewClusterOnSameFile()
    {
        using var database = new TempDatabase();
        const string serviceId = "gateway-standalone-restart";
        SqliteStandaloneTestSnapshot beforeRestart;

        var first = await SqliteTestCluster.StartAsync(database.Path, serviceId);
        try
        {
            var grain = first.Client.GetGrain<ISqliteStandaloneTestGrain>("alice");
            await grain.AppendAsync("one");
            beforeRestart = await grain.AppendAsync("two");
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        var second = await SqliteTestCluster.StartAsync(database.Path, serviceId);
        try
        {
            var afterRestart = await second.Client.GetGrain<ISqliteStandaloneTestGrain>("alice").GetAsync();
            var neverWritten = await second.Client.GetGrain<ISqliteStandaloneTestGrain>("bob").GetAsync();

            Assert.NotNull(beforeRestart.ETag);
            Assert.Equal(new SqliteStandaloneTestSnapshot("one,two", beforeRestart.ETag, RecordExists: true), afterRestart);
            Assert.Equal(new SqliteStandaloneTestSnapshot("", null, RecordExists: false), neverWritten);
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }
}
