using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Infrastructure;

namespace Gateway.Integration.Tests.OpenAI;

/// <summary>Upstream 429 on the only account (SPEC §16.2, §17); a gateway of its own, since the account cools down.</summary>
public sealed class RateLimitPassthroughTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private async Task<(HttpResponseMessage Response, string Body)> PostAsync(string path, string body)
    {
        var response = await fixture.Gateway.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upstream429_PassesThroughWithRetryAfterAndXHeaders()
    {
        var (response, body) = await PostAsync("v1/chat/completions", """{"model":"fault-429","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("retry-after").Single());
        Assert.Equal("0", response.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("Sorry, you have exceeded your rate limit.", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
        // The only account is now cooling down: the next request is refused at once with Retry-After, not sent upstream.
        var sentBefore = fixture.Upstream.RequestsTo("/chat/completions").Count;
        var (second, _) = await PostAsync("v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal(sentBefore, fixture.Upstream.RequestsTo("/chat/completions").Count);
    }
}
