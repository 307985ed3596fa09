using Gateway.Grains.Storage.Sqlite;
using Gateway.Grains.Tests.StorageContract;
using Orleans.Storage;

namespace Gateway.Grains.Tests.Sqlite;

/// <summary>The storage contract against <see cref="SqliteGrainStorage"/> in a standalone silo.</summary>
public sealed class SqliteGrainStorageTests(SqliteSiloFixture fixture)
    : GrainStorageContractTests, IClassFixture<SqliteSiloFixture>
{
    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult(fixture.Storage);

    [Fact]
    public void StorageResolvedByName_IsTheSqliteProvider()
    {
        Assert.IsType<SqliteGrainStorage>(fixture.Storage);
    }
}
