using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.Messages;

/// <summary><c>/v1/messages/count_tokens</c> with an Anthropic key (SPEC §14 step 2) and its fallback.</summary>
public sealed class CountTokensTests
{
    private const string Body = """{"model":"claude-sonnet-4.5","messages":[{"role":"user","content":"count me"}]}""";

    [Fact]
    public async Task ClaudeModelWithAnthropicKey_IsCountedByAnthropic()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(upstream, o =>
        {
            o["Gateway:anthropicApiKey"] = "sk-ant-test";
            o["Gateway:upstreams:anthropicApiUrl"] = upstream.BaseAddress;
        });
        using var response = await gateway.Client.PostAsync("v1/messages/count_tokens", new StringContent(Body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(42, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt32());
        var sent = upstream.RequestsTo("/v1/messages/count_tokens").Single();
        Assert.Equal("sk-ant-test", sent.Header("x-api-key"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        Assert.Equal("token-counting-2024-11-01", sent.Header("anthropic-beta"));
        Assert.Equal("claude-sonnet-4-5", sent.Json().RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task AnthropicFailure_FallsBackToTheLocalEstimate()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        upstream.EnqueueFault("/v1/messages/count_tokens", Fault.Status(500, "nope"));
        await using var gateway = await GatewayTestHost.StartAsync(upstream, o =>
        {
            o["Gateway:anthropicApiKey"] = "sk-ant-test";
            o["Gateway:upstreams:anthropicApiUrl"] = upstream.BaseAddress;
        });
        using var response = await gateway.Client.PostAsync("v1/messages/count_tokens", new StringContent(Body, Encoding.UTF8, "application/json"));
        var count = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt32();
        Assert.NotEqual(42, count);
        Assert.InRange(count, 5, 30);
    }
}
