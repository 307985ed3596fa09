using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.OpenAI;

/// <summary>Standalone <c>rateLimitSeconds</c> / <c>rateLimitWait</c> (SPEC §16.2).</summary>
public sealed class RateLimitSecondsTests
{
    private static Task<HttpResponseMessage> ChatAsync(GatewayTestHost gateway, string text)
        => gateway.Client.PostAsync("v1/chat/completions",
            new StringContent($$"""{"model":"gpt-4.1","messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task SecondRequestWithinTheInterval_Gets429WithRetryAfter_ButModelsAreExempt()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(upstream, o => o["Gateway:rateLimitSeconds"] = "30");
        using var first = await ChatAsync(gateway, "one");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await ChatAsync(gateway, "two");
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 29, 30);
        var error = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("Rate limit exceeded", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("v1/models")).StatusCode);
    }

    [Fact]
    public async Task WithWait_TheSecondRequestWaitsForItsSlot()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(upstream, o =>
        {
            o["Gateway:rateLimitSeconds"] = "1";
            o["Gateway:rateLimitWait"] = "true";
        });
        using var first = await ChatAsync(gateway, "one");
        var watch = Stopwatch.StartNew();
        using var second = await ChatAsync(gateway, "two");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(700), $"waited only {watch.Elapsed}");
    }
}
