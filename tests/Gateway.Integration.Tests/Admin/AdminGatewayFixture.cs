using System.Net;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.Admin;

/// <summary>
/// A standalone gateway with a configured key (so it is not in open mode), a known admin key and the default GitHub
/// account of the fake upstream.
/// </summary>
public sealed class AdminGatewayFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-key-for-admin-tests";
    public const string ConfigKey = "config-key-for-admin-tests";

    public FakeUpstreamServer Upstream { get; private set; } = null!;

    public GatewayTestHost Gateway { get; private set; } = null!;

    public static void Configure(Dictionary<string, string?> overrides)
    {
        overrides["Gateway:auth:adminApiKey"] = AdminKey;
        overrides["Gateway:auth:apiKeys:0"] = ConfigKey;
        overrides["Gateway:githubToken"] = FakeUpstreamState.DefaultGitHubToken;
    }

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstreamServer.StartAsync();
        // withAccount: false skips the host's own keyless wait for models; the account still comes from githubToken.
        Gateway = await GatewayTestHost.StartAsync(Upstream, Configure, withAccount: false);
        await WaitForModelsAsync(Gateway);
    }

    /// <summary>The start-up account import runs in the background; wait (bounded) until models are served.</summary>
    public static async Task WaitForModelsAsync(GatewayTestHost gateway)
    {
        var served = await AdminClient.EventuallyAsync(
            async () => (await AdminClient.SendAsync(gateway.Client, HttpMethod.Get, "/v1/models", ConfigKey)).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20));
        Assert.True(served, "Gateway served no models within 20 s\n" + gateway.Console);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
