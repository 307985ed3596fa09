using Npgsql;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>Database creation on the shared server, which works the same with an own or a CI-provided server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerDatabaseTests(PostgresFixture fixture)
{
    [Fact]
    public async Task CreateDatabaseAsync_EachCall_ReturnsADistinctEmptyDatabase()
    {
        var first = await fixture.Server.CreateDatabaseAsync();
        var second = await fixture.Server.CreateDatabaseAsync();

        var names = new[] { fixture.Server.ConnectionString, first, second }
            .Select(cs => new NpgsqlConnectionStringBuilder(cs).Database!)
            .ToArray();
        Assert.Equal(3, names.Distinct().Count());
        Assert.All(names, name => Assert.Matches("^gw_test_[0-9a-f]{16}$", name));
        Assert.Equal([0L], await Sql.QueryAsync(second,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", r => r.GetInt64(0)));
    }
}
