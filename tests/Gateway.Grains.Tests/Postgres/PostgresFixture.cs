using Gateway.Grains.Storage.Postgres;
using Gateway.Testing.Postgres;
using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>One Postgres server for the collection, plus a lazily started 2-silo cluster that several tests share.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _clusterGate = new(1, 1);
    private PostgresServer? _server;
    private SharedCluster? _sharedCluster;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    /// <summary>A fresh database with the gateway schema applied.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var connectionString = await Server.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(connectionString, logger: null, CancellationToken.None);
        return connectionString;
    }

    /// <summary>A 2-silo cluster on its own migrated database, started on first use and kept for the run.</summary>
    public async Task<SharedCluster> GetSharedClusterAsync()
    {
        await _clusterGate.WaitAsync();
        try
        {
            if (_sharedCluster is null)
            {
                var connectionString = await CreateMigratedDatabaseAsync();
                var ids = PostgresTestCluster.NewIds();
                var cluster = await PostgresTestCluster.StartAsync(connectionString, ids.ServiceId, ids.ClusterId, silos: 2);
                _sharedCluster = new SharedCluster(cluster, connectionString, ids.ServiceId, ids.ClusterId);
            }

            return _sharedCluster;
        }
        finally
        {
            _clusterGate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (_sharedCluster is not null)
        {
            await PostgresTestCluster.StopAsync(_sharedCluster.Cluster);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public sealed record SharedCluster(TestCluster Cluster, string ConnectionString, string ServiceId, string ClusterId);
}
