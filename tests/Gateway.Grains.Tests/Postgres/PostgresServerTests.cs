using Gateway.Testing.Postgres;
using Npgsql;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>The outage controls later tests rely on, on a private server (not the shared collection one).</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task StopThenStartAgain_RefusesConnectionsWhileDownAndKeepsDataAndPort()
    {
        await using var server = await PostgresServer.StartOwnServerAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString;
        await Sql.ExecuteAsync(connectionString, "CREATE TABLE outage (note text); INSERT INTO outage VALUES ('before')");

        await server.StopAsync();
        var whileDown = await Assert.ThrowsAsync<NpgsqlException>(() => Sql.ExecuteAsync(connectionString, "SELECT 1"));
        await server.StartAgainAsync();

        Assert.True(server.OwnsServer);
        Assert.IsType<System.Net.Sockets.SocketException>(whileDown.InnerException);
        Assert.Equal(["before"], await Sql.QueryAsync(connectionString, "SELECT note FROM outage", r => r.GetString(0)));
    }

    [Fact]
    public async Task DisposeAsync_OwnServer_StopsItAndDeletesItsDirectory()
    {
        var server = await PostgresServer.StartOwnServerAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString;
        var directory = server.DirectoryPath;

        await server.DisposeAsync();

        Assert.NotNull(directory);
        Assert.False(Directory.Exists(directory), $"{directory} should have been deleted");
        await Assert.ThrowsAsync<NpgsqlException>(() => Sql.ExecuteAsync(connectionString, "SELECT 1"));
    }
}
