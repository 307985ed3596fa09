using Gateway.Grains.Hosting;
using Gateway.Grains.Options;
using Gateway.Grains.Storage.Postgres;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using Gateway.Testing.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Integration.Tests.Cluster;

/// <summary>
/// A cluster on one Postgres database: N silos (as <c>silo/</c> configures them) and M API front ends in cluster mode
/// (Orleans clients), all in this process on loopback ports, every upstream pointed at one fake upstream.
/// </summary>
public sealed class ClusterTestHost : IAsyncDisposable
{
    public const string AdminKey = "admin-key-for-tests";
    public const string ApiKey = "tenant-key-for-tests";

    private readonly List<IHost> _silos = [];

    private ClusterTestHost(PostgresServer postgres, FakeUpstreamServer upstream, string clusterId)
    {
        Postgres = postgres;
        Upstream = upstream;
        ClusterId = clusterId;
    }

    public PostgresServer Postgres { get; }

    public FakeUpstreamServer Upstream { get; }

    public string ClusterId { get; }

    public List<GatewayTestHost> Fronts { get; } = [];

    public IReadOnlyList<IHost> Silos => _silos;

    /// <param name="ownPostgres">A Postgres server of this cluster's own, which a test may stop and start again.</param>
    public static async Task<ClusterTestHost> StartAsync(int silos, int fronts, bool ownPostgres = false)
    {
        var postgres = ownPostgres ? await PostgresServer.StartOwnServerAsync() : await PostgresServer.StartAsync();
        var upstream = await FakeUpstreamServer.StartAsync();
        var host = new ClusterTestHost(postgres, upstream, "cluster-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await PostgresMigrator.MigrateAsync(postgres.ConnectionString, null, CancellationToken.None);
            for (var i = 0; i < silos; i++)
            {
                await host.StartSiloAsync();
            }
            for (var i = 0; i < fronts; i++)
            {
                host.Fronts.Add(await GatewayTestHost.StartAsync(upstream, host.ConfigureFront, withAccount: false));
            }
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Gateway:mode"] = "cluster",
        ["Gateway:cluster:clusterId"] = ClusterId,
        ["Gateway:cluster:serviceId"] = ClusterId,
        ["Gateway:encryptionKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        ["Gateway:auth:adminApiKey"] = AdminKey,
        ["Gateway:auth:apiKeys:0"] = ApiKey,
        ["Gateway:upstreams:githubWebUrl"] = Upstream.BaseAddress,
        ["Gateway:upstreams:githubApiUrl"] = Upstream.BaseAddress,
        ["Gateway:upstreams:vscodeVersionUrl"] = "",
        ["ConnectionStrings:Postgres"] = Postgres.ConnectionString,
    };

    private void ConfigureFront(Dictionary<string, string?> overrides)
    {
        foreach (var (key, value) in Settings())
        {
            overrides[key] = value;
        }
        overrides["Gateway:host"] = "127.0.0.1";
        overrides["Gateway:githubToken"] = null;
    }

    public async Task<IHost> StartSiloAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        var settings = Settings();
        settings["Gateway:cluster:siloPort"] = GatewaySiloHosting.FreePort().ToString();
        settings["Gateway:cluster:gatewayPort"] = GatewaySiloHosting.FreePort().ToString();
        builder.Configuration.AddInMemoryCollection(settings);
        var options = new GatewayOptions();
        builder.Configuration.GetSection(GatewayOptions.SectionName).Bind(options);
        builder.Services.AddGatewayCore(builder.Configuration);
        builder.UseOrleans(silo => silo.ConfigureGatewaySilo(options, Postgres.ConnectionString));
        var silo = builder.Build();
        await silo.StartAsync();
        _silos.Add(silo);
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var front in Fronts)
        {
            await front.DisposeAsync();
        }
        foreach (var silo in _silos)
        {
            try
            {
                await silo.StopAsync(TimeSpan.FromSeconds(10));
            }
            finally
            {
                silo.Dispose();
            }
        }
        await Upstream.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
