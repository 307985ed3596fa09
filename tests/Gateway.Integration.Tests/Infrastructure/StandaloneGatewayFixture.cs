using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>One fake upstream and one standalone gateway with a GitHub account, shared by a test class.</summary>
public class StandaloneGatewayFixture : IAsyncLifetime
{
    public FakeUpstreamServer Upstream { get; private set; } = null!;

    public GatewayTestHost Gateway { get; private set; } = null!;

    protected virtual void Configure(Dictionary<string, string?> overrides)
    {
    }

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstreamServer.StartAsync();
        Gateway = await GatewayTestHost.StartAsync(Upstream, Configure);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
