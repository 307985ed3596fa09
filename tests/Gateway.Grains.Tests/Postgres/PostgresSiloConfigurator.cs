using Gateway.Grains.Hosting;
using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>Silo side of <see cref="PostgresTestCluster"/>: the production extension, nothing test-specific.</summary>
public sealed class PostgresSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = siloBuilder.Configuration[PostgresTestCluster.ConnectionStringKey]
            ?? throw new InvalidOperationException($"{PostgresTestCluster.ConnectionStringKey} is not set.");
        siloBuilder.UsePostgresCluster(connectionString);
    }
}
