using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Cluster;

/// <summary>
/// Two silos and two API front ends on one Postgres: the account grain is one activation cluster-wide, so its
/// Copilot token is refreshed exactly once however many front ends use the account.
/// </summary>
public sealed class ClusterTokenRefreshTests
{
    private static async Task<HttpResponseMessage> ChatAsync(HttpClient client, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"gpt-4.1","messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClusterTestHost.ApiKey);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task AccountUsedThroughTwoFrontEnds_RefreshesItsTokenExactlyOnce()
    {
        await using var cluster = await ClusterTestHost.StartAsync(silos: 2, fronts: 2);
        var state = cluster.Upstream.State;
        var grains = cluster.Fronts[0].Services.GetRequiredService<IGrainFactory>();
        var registration = await grains.GetGrain<IGitHubAccountGrain>(FakeUpstreamState.DefaultLogin).RegisterAsync(FakeUpstreamState.DefaultGitHubToken);
        Assert.True(registration.Succeeded, registration.Error);
        Assert.Equal(1, state.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken));

        // Both front ends serve requests with the cached lease: no further exchange.
        foreach (var front in cluster.Fronts)
        {
            using var response = await ChatAsync(front.Client, "warm");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(1, state.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken));

        // Copilot starts rejecting the token: every front end sees 401s at once, yet the grain refreshes once.
        state.ExpireCopilotTokens();
        var burst = cluster.Fronts.SelectMany(front => Enumerable.Range(0, 8).Select(i => ChatAsync(front.Client, "after-expiry-" + i))).ToArray();
        var responses = await Task.WhenAll(burst);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(2, state.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ClusterFrontEnd_RequiresAKey()
    {
        await using var cluster = await ClusterTestHost.StartAsync(silos: 1, fronts: 1);
        using var response = await cluster.Fronts[0].Client.PostAsync("v1/chat/completions",
            new StringContent("""{"model":"gpt-4.1","messages":[]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"gateway-cluster\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("""{"error":{"message":"Unauthorized. Provide Authorization: Bearer <key> or x-api-key.","type":"unauthorized"}}""",
            await response.Content.ReadAsStringAsync());
    }
}
