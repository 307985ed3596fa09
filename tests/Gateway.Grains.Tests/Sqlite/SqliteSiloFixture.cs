using Gateway.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Sqlite;

/// <summary>One standalone silo on a temporary SQLite file, shared by a test class.</summary>
public sealed class SqliteSiloFixture : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private TestCluster? _cluster;

    public string DatabasePath => _database.Path;

    /// <summary>The <c>"gateway"</c> grain storage exactly as the silo resolves it by name.</summary>
    public IGrainStorage Storage { get; private set; } = null!;

    public IServiceProvider SiloServices { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SqliteTestCluster.StartAsync(_database.Path, "contract-" + Guid.NewGuid().ToString("N")[..12]);
        SiloServices = _cluster.GetSiloServiceProvider(_cluster.Primary!.SiloAddress);
        Storage = SiloServices.GetRequiredKeyedService<IGrainStorage>(SqliteHosting.GrainStorageName);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        _database.Dispose();
    }
}
