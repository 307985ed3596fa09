using Gateway.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Tenants;

/// <summary>An in-process Orleans test cluster for tenant and key grains, on fake time.</summary>
public sealed class TenantClusterFixture : IAsyncLifetime
{
    // Silo configurators are created by type, so they reach the fake clock through a static.
    internal static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:mode"] = "cluster",
                ["Gateway:upstreams:vscodeVersionUrl"] = "",
                ["Gateway:encryptionKey"] = Convert.ToBase64String(new byte[32]),
            }).Build();
            siloBuilder.Services.AddSingleton<TimeProvider>(Time);
            siloBuilder.Services.AddGatewayCore(configuration);
            siloBuilder.AddMemoryGrainStorage("gateway");
        }
    }
}
