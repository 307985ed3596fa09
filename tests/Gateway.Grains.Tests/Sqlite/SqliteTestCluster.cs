using System.Globalization;
using Gateway.Grains.Hosting;
using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Sqlite;

/// <summary>In-process test clusters of one silo configured by <see cref="SqliteHosting.UseSqliteStandalone"/>.</summary>
internal static class SqliteTestCluster
{
    /// <summary>Test cluster property (configuration of the silo) holding the database path.</summary>
    public const string DatabasePathKey = "GatewayTests:SqliteDatabasePath";

    public static async Task<TestCluster> StartAsync(string databasePath, string serviceId)
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = "standalone-" + Guid.NewGuid().ToString("N")[..12];
        builder.Properties[DatabasePathKey] = databasePath;
        builder.AddSiloBuilderConfigurator<StandaloneSiloConfigurator>();

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

    /// <summary>
    /// The production extension on the ports the test cluster allocated for this silo, so parallel clusters do not
    /// collide on Orleans' default ports.
    /// </summary>
    private sealed class StandaloneSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            siloBuilder.UseSqliteStandalone(
                configuration[DatabasePathKey] ?? throw new InvalidOperationException($"{DatabasePathKey} is not set."),
                int.Parse(configuration["Orleans:Endpoints:SiloPort"]!, CultureInfo.InvariantCulture),
                int.Parse(configuration["Orleans:Endpoints:GatewayPort"]!, CultureInfo.InvariantCulture));
        }
    }
}
