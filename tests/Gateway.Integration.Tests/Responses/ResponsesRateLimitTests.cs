using System.Net;
using System.Text;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Responses;

/// <summary>
/// Upstream 429 on <c>/v1/responses</c> with two GitHub accounts (SPEC §16.2, §17): failover before the first byte,
/// and passthrough once every account is throttled. Each test gets its own gateway, since accounts cool down.
/// </summary>
public sealed class ResponsesRateLimitTests : IAsyncLifetime
{
    private const string SecondToken = "gho_second_account";
    private const string SecondLogin = "hubot";
    private FakeUpstreamServer _upstream = null!;
    private GatewayTestHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstreamServer.StartAsync();
        _gateway = await GatewayTestHost.StartAsync(_upstream);
        await _gateway.AddAccountAsync(_upstream, SecondToken, SecondLogin);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<(HttpResponseMessage Response, string Body)> PostAsync(string text, bool stream)
    {
        var body = $$"""{"model":"gpt-5.4","stream":{{(stream ? "true" : "false")}},"input":[{"role":"user","content":"{{text}}"}]}""";
        var response = await _gateway.Client.PostAsync("v1/responses", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private string AccountOf(RecordedRequest request)
    {
        var token = request.Header("authorization")!["Bearer ".Length..];
        return _upstream.State.IssuedCopilotTokens.Single(t => t.Token == token).Login;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upstream429_MovesTheRequestToTheOtherAccount(bool stream)
    {
        _upstream.EnqueueFault("/responses", Fault.RateLimited);

        var (response, body) = await PostAsync("failover-" + stream, stream);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var accounts = _upstream.RequestsTo("/responses").Where(r => r.BodyText.Contains("failover-" + stream, StringComparison.Ordinal)).Select(AccountOf).ToList();
        Assert.Equal(2, accounts.Count);
        Assert.NotEqual(accounts[0], accounts[1]);
        Assert.Contains(stream ? "response.completed" : "\"status\":\"completed\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream429OnEveryAccount_PassesThroughWithRetryAfterAndXHeaders()
    {
        _upstream.EnqueueFault("/responses", Fault.RateLimited, times: 2);

        var (response, body) = await PostAsync("throttled", stream: true);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("retry-after").Single());
        Assert.Equal("0", response.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("""{"error":{"message":"Sorry, you have exceeded your rate limit.","code":"rate_limited"}}""", body);
        Assert.Equal(2, _upstream.RequestsTo("/responses").Count(r => r.BodyText.Contains("throttled", StringComparison.Ordinal)));
    }
}
