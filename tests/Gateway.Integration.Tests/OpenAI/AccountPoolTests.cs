using System.Net;
using System.Text;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Abstractions.Tenants;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.OpenAI;

/// <summary>Two GitHub accounts: session affinity (SPEC §4.2) and failover on upstream 429 (SPEC §16.2).</summary>
public sealed class AccountPoolTests : IAsyncLifetime
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

    private async Task<HttpResponseMessage> ChatAsync(string session, string text, string model = "gpt-4.1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-session-id", session);
        return await _gateway.Client.SendAsync(request);
    }

    /// <summary>Which account served a recorded request, from the Copilot token it carried.</summary>
    private string AccountOf(RecordedRequest request)
    {
        var token = request.Header("authorization")!["Bearer ".Length..];
        return _upstream.State.IssuedCopilotTokens.Single(t => t.Token == token).Login;
    }

    [Fact]
    public async Task OneSession_StaysOnOneAccount_AndSessionsSpreadOverThePool()
    {
        var accountsBySession = new Dictionary<string, HashSet<string>>();
        for (var s = 0; s < 12; s++)
        {
            var session = "session-" + s;
            for (var i = 0; i < 3; i++)
            {
                using var response = await ChatAsync(session, $"{session}-turn-{i}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            accountsBySession[session] = _upstream.RequestsTo("/chat/completions").Where(r => r.BodyText.Contains(session + "-turn-")).Select(AccountOf).ToHashSet();
        }
        Assert.All(accountsBySession.Values, accounts => Assert.Single(accounts));
        Assert.Equal(2, accountsBySession.Values.Select(a => a.Single()).Distinct().Count());
    }

    [Fact]
    public async Task Upstream429_MovesTheRequestToTheOtherAccountBeforeAnyByteReachedTheClient()
    {
        using (var first = await ChatAsync("failover-session", "pin-me"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var pinned = AccountOf(_upstream.RequestsTo("/chat/completions").Last(r => r.BodyText.Contains("pin-me")));
        _upstream.EnqueueFault("/chat/completions", Fault.RateLimited);
        using var response = await ChatAsync("failover-session", "after-429");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempts = _upstream.RequestsTo("/chat/completions").Where(r => r.BodyText.Contains("after-429")).Select(AccountOf).ToList();
        Assert.Equal([pinned, pinned == SecondLogin ? FakeUpstreamState.DefaultLogin : SecondLogin], attempts);

        // The rate-limited account cools down cluster-wide; the session now lives on the other account.
        var summary = await _gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IGitHubAccountGrain>(pinned).GetSummaryAsync();
        Assert.True(summary!.CooldownUntil > DateTimeOffset.UtcNow.AddSeconds(5));
        using var next = await ChatAsync("failover-session", "after-failover");
        Assert.Equal(attempts[1], AccountOf(_upstream.RequestsTo("/chat/completions").Last(r => r.BodyText.Contains("after-failover"))));
    }

    [Fact]
    public async Task TenantAccountPools_KeepEachTenantOnItsOwnAccounts()
    {
        var grains = _gateway.Services.GetRequiredService<IGrainFactory>();
        var keys = new Dictionary<string, string>();
        foreach (var (tenant, login) in new[] { ("team-octo", FakeUpstreamState.DefaultLogin), ("team-hubot", SecondLogin) })
        {
            var settings = new TenantSettings(tenant, TenantLimits.None, TenantBudget.None, [login], []);
            Assert.Equal(TenantOutcome.Ok, (await grains.GetGrain<ITenantGrain>(tenant).CreateAsync(settings)).Outcome);
            var secret = "gk_pool_test_" + tenant;
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(ApiKeyOutcome.Ok, (await grains.GetGrain<ITenantGrain>(tenant).CreateKeyAsync(new NewApiKey("k", hash, secret[..10], null))).Outcome);
            keys[tenant] = secret;
        }

        foreach (var (tenant, secret) in keys)
        {
            for (var i = 0; i < 6; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
                {
                    Content = new StringContent($$"""{"model":"gpt-4.1","messages":[{"role":"user","content":"{{tenant}}-{{i}}"}]}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("x-api-key", secret);
                request.Headers.Add("x-session-id", $"{tenant}-session-{i}");
                using var response = await _gateway.Client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        Assert.All(_upstream.RequestsTo("/chat/completions").Where(r => r.BodyText.Contains("team-octo-")), r => Assert.Equal(FakeUpstreamState.DefaultLogin, AccountOf(r)));
        Assert.All(_upstream.RequestsTo("/chat/completions").Where(r => r.BodyText.Contains("team-hubot-")), r => Assert.Equal(SecondLogin, AccountOf(r)));
        Assert.Equal(12, _upstream.RequestsTo("/chat/completions").Count(r => r.BodyText.Contains("team-")));
    }
}
