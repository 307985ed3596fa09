using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Integration.Tests.Infrastructure;

namespace Gateway.Integration.Tests.Usage;

/// <summary>
/// Real requests through a standalone gateway end up in its SQLite usage table exactly once each, with the tokens the
/// fake upstream reported (prompt 20 of which 4 cached, completion 10 → input 16, cache read 4, output 10).
/// </summary>
public sealed class UsageEndToEndTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    [Fact]
    public async Task MixedBurst_TotalsEqualTheUpstreamTokensExactly()
    {
        var bodies = new[]
        {
            ("v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"burst"}]}"""),
            ("v1/chat/completions", """{"model":"gpt-4.1","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"burst"}]}"""),
            ("v1/messages", """{"model":"gpt-4.1","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"burst"}]}"""),
            ("v1/messages", """{"model":"claude-sonnet-4.5","max_tokens":9,"messages":[{"role":"user","content":"burst"}]}"""),
        };
        const int rounds = 6;
        var requests = Enumerable.Range(0, rounds).SelectMany(_ => bodies).Select(async b =>
        {
            using var response = await fixture.Gateway.Client.PostAsync(b.Item1, new StringContent(b.Item2, Encoding.UTF8, "application/json"));
            await response.Content.ReadAsStringAsync();
            return response.StatusCode;
        });
        Assert.All(await Task.WhenAll(requests), s => Assert.Equal(HttpStatusCode.OK, s));

        var expected = rounds * bodies.Length;
        JsonNode totals = null!;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(100);
            totals = JsonNode.Parse(await fixture.Gateway.Client.GetStringAsync("v1/usage?period=today"))!["totals"]!;
        }
        while ((long)totals["requests"]! < expected && DateTime.UtcNow < deadline);

        Assert.Equal(expected, (long)totals["requests"]!);
        Assert.Equal(expected * 16, (long)totals["input_tokens"]!);
        Assert.Equal(expected * 10, (long)totals["output_tokens"]!);
        Assert.Equal(expected * 4, (long)totals["cache_read_input_tokens"]!);
        var events = JsonNode.Parse(await fixture.Gateway.Client.GetStringAsync("v1/usage/events?period=today&page_size=100"))!;
        Assert.Equal(expected, (long)events["total"]!);
        Assert.Equal(expected, events["data"]!.AsArray().Select(e => (string)e!["id"]!).Distinct().Count());
    }
}
