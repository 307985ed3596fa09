using Gateway.Api.Usage;
using Gateway.Grains.Storage.Sqlite;

namespace Gateway.Api.Tests.Usage;

/// <summary>The usage store contract on a fresh, migrated SQLite file per test.</summary>
public sealed class SqliteUsageStoreTests : UsageStoreContractTests
{
    private string _directory = "";

    protected override async Task<IUsageStore> CreateStoreAsync()
    {
        _directory = Directory.CreateTempSubdirectory("gw-usage-sqlite-").FullName;
        var path = Path.Combine(_directory, "gateway.db");
        await SqliteMigrator.MigrateAsync(path, null, CancellationToken.None);
        return new SqliteUsageStore(path);
    }

    protected override Task DisposeStoreAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
