using Gateway.Testing.FakeUpstream;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>A started fake upstream on a <see cref="ManualClock"/>, with an HttpClient pointed at it.</summary>
internal sealed class FakeUpstreamHarness : IAsyncDisposable
{
    private FakeUpstreamHarness(FakeUpstreamServer server, ManualClock clock)
    {
        Server = server;
        Clock = clock;
        Http = new HttpClient { BaseAddress = server.BaseUrl };
    }

    public FakeUpstreamServer Server { get; }

    public FakeUpstreamState State => Server.State;

    public ManualClock Clock { get; }

    public HttpClient Http { get; }

    public static async Task<FakeUpstreamHarness> StartAsync(Action<FakeUpstreamOptions>? configure = null)
    {
        var clock = new ManualClock(FakeUpstreamTestKit.Now);
        var options = new FakeUpstreamOptions { TimeProvider = clock };
        configure?.Invoke(options);
        return new FakeUpstreamHarness(await FakeUpstreamServer.StartAsync(options), clock);
    }

    public Task<(int Status, string? ContentType, string Body)> SendAsync(HttpRequestMessage request) =>
        FakeUpstreamTestKit.SendAsync(Http, request);

    public Task<string> CopilotTokenAsync() => FakeUpstreamTestKit.CopilotTokenAsync(Http);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
