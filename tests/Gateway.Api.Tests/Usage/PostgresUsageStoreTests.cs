using Gateway.Api.Usage;
using Gateway.Grains.Storage.Postgres;
using Gateway.Testing.Postgres;

namespace Gateway.Api.Tests.Usage;

/// <summary>One Postgres server for the Postgres usage-store tests; each test gets its own migrated database.</summary>
public sealed class UsagePostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The usage store contract on Postgres (binary COPY + ON CONFLICT writes).</summary>
public sealed class PostgresUsageStoreTests(UsagePostgresFixture fixture) : UsageStoreContractTests, IClassFixture<UsagePostgresFixture>
{
    private PostgresUsageStore? _store;

    protected override async Task<IUsageStore> CreateStoreAsync()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(connectionString, null, CancellationToken.None);
        _store = new PostgresUsageStore(connectionString);
        return _store;
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
