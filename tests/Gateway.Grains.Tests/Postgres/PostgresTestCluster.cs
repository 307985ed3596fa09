using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>Builds in-process test clusters whose silos and client use the Postgres hosting extensions.</summary>
internal static class PostgresTestCluster
{
    /// <summary>Test cluster property (visible to the configurators as configuration) holding the connection string.</summary>
    public const string ConnectionStringKey = "GatewayTests:PostgresConnectionString";

    /// <summary>Unique ids per cluster: dead silos stay in the membership table, so clusters must not share a ClusterId.</summary>
    public static (string ServiceId, string ClusterId) NewIds()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return ("svc-" + suffix, "cl-" + suffix);
    }

    public static async Task<TestCluster> StartAsync(string connectionString, string serviceId, string clusterId, short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = clusterId;
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<PostgresSiloConfigurator>();
        builder.AddClientBuilderConfigurator<PostgresClientConfigurator>();

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public static async Task StopAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }
}
