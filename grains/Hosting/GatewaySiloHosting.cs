using System.Net;
using System.Net.Sockets;
using Gateway.Grains.Options;
using Microsoft.Extensions.DependencyInjection;
using ClusterOptions = Orleans.Configuration.ClusterOptions;
using GatewayOptions = Gateway.Grains.Options.GatewayOptions;

namespace Gateway.Grains.Hosting;

/// <summary>How a silo is set up in each mode (DESIGN §1), shared by the co-hosted standalone silo and <c>silo/</c>.</summary>
public static class GatewaySiloHosting
{
    public const string StandaloneDatabaseFile = "gateway.db";

    public static ISiloBuilder ConfigureGatewaySilo(this ISiloBuilder silo, GatewayOptions options, string? postgresConnectionString)
    {
        silo.Services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.Cluster.ClusterId;
            o.ServiceId = options.Cluster.ServiceId;
        });
        if (options.IsCluster)
        {
            var advertised = string.IsNullOrWhiteSpace(options.Cluster.AdvertisedIp) ? IPAddress.Loopback : IPAddress.Parse(options.Cluster.AdvertisedIp);
            silo.ConfigureEndpoints(advertised, options.Cluster.SiloPort, options.Cluster.GatewayPort, listenOnAnyHostAddress: true);
            silo.UsePostgresCluster(postgresConnectionString!);
            // Hard limits and budgets are decided in one admission grain per tenant, and token refreshes in one
            // account grain: the default directory is eventually consistent and may briefly run two activations of a
            // grain while membership changes (a scale-out, a silo loss). The strongly consistent in-cluster directory
            // never does, at the cost of a little more coordination on activation.
            // (Marked experimental in Orleans 10, ORLEANSEXP003; it is the directory Orleans is moving to.)
#pragma warning disable ORLEANSEXP003
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        }
        else
        {
            // The client is in-process, so no fixed ports are needed: free ones let a second local process (the
            // `auth` verb, a test) start beside a running gateway.
            var databasePath = Path.Combine(options.ResolveDataDir(), StandaloneDatabaseFile);
            silo.UseSqliteStandalone(databasePath, FreePort(), FreePort());
        }
        return silo;
    }

    public static IClientBuilder ConfigureGatewayClient(this IClientBuilder client, GatewayOptions options, string postgresConnectionString)
    {
        client.Services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.Cluster.ClusterId;
            o.ServiceId = options.Cluster.ServiceId;
        });
        client.UsePostgresClustering(postgresConnectionString);
        return client;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
