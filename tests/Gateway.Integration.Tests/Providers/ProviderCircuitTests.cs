using System.Net;
using System.Text;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.Providers;

/// <summary>
/// A failing or rate-limited provider is taken out of service cluster-wide (DESIGN §3 IProviderGrain): requests get
/// 503 with Retry-After at once, without reaching it, until the cooldown is over.
/// </summary>
public sealed class ProviderCircuitTests
{
    private static async Task<(HttpStatusCode Status, string Body, TimeSpan? RetryAfter)> ChatAsync(GatewayTestHost gateway, string model)
    {
        using var content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"circuit"}]}""", Encoding.UTF8, "application/json");
        using var response = await gateway.Client.PostAsync("v1/chat/completions", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task FailuresOpenTheCircuit_429CoolsDown_BothAnswer503WithoutCallingTheProvider()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        upstream.State.AddProviderApiKey("sk-flaky");
        var baseUrl = upstream.BaseAddress.TrimEnd('/') + "/v1";
        await using var gateway = await GatewayTestHost.StartAsync(upstream, o =>
        {
            foreach (var name in new[] { "flaky", "busy" })
            {
                o[$"Gateway:providers:{name}:type"] = "openai-compatible";
                o[$"Gateway:providers:{name}:baseUrl"] = baseUrl;
                o[$"Gateway:providers:{name}:apiKey"] = "sk-flaky";
            }
            o["Gateway:providerCircuit:failureThreshold"] = "2";
            o["Gateway:providerCircuit:openSeconds"] = "2";
        }, withAccount: false);

        Assert.Equal(HttpStatusCode.InternalServerError, (await ChatAsync(gateway, "flaky/fault-500")).Status);
        Assert.Equal(HttpStatusCode.BadGateway, (await ChatAsync(gateway, "flaky/fault-502")).Status);
        // Reports reach the provider grain in the background: wait (bounded) until the circuit is open here.
        (HttpStatusCode Status, string Body, TimeSpan? RetryAfter) refused = default;
        for (var i = 0; i < 50 && refused.Status != HttpStatusCode.ServiceUnavailable; i++)
        {
            refused = await ChatAsync(gateway, "flaky/gpt-4.1");
            await Task.Delay(20);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal(
            """{"error":{"message":"Provider 'flaky' is temporarily unavailable (2 consecutive failures (HTTP 502)); retry later.","type":"error","param":null,"code":null}}""",
            refused.Body);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        var calls = upstream.RequestsTo("/v1/chat/completions").Count;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ChatAsync(gateway, "flaky/gpt-4.1")).Status);
        Assert.Equal(calls, upstream.RequestsTo("/v1/chat/completions").Count);

        // After the cooldown the next request is a trial; it succeeds and the provider is healthy again.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, "flaky/gpt-4.1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, "flaky/gpt-4.1")).Status);

        // A 429 cools only that provider down for its retry-after (the fake sends 7 s); others are unaffected.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(gateway, "busy/fault-429")).Status);
        (HttpStatusCode Status, string Body, TimeSpan? RetryAfter) cooling = default;
        for (var i = 0; i < 50 && cooling.Status != HttpStatusCode.ServiceUnavailable; i++)
        {
            cooling = await ChatAsync(gateway, "busy/gpt-4.1");
            await Task.Delay(20);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cooling.Status);
        Assert.InRange(cooling.RetryAfter!.Value, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7));
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, "flaky/gpt-4.1")).Status);
    }
}
