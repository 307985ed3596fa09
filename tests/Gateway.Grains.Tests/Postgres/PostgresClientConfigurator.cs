using Gateway.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>Client side of <see cref="PostgresTestCluster"/>: finds the silos' gateways in Postgres.</summary>
public sealed class PostgresClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var connectionString = configuration[PostgresTestCluster.ConnectionStringKey]
            ?? throw new InvalidOperationException($"{PostgresTestCluster.ConnectionStringKey} is not set.");
        clientBuilder.UsePostgresClustering(connectionString);
    }
}
