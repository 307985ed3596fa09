using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Abstractions.Limits;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Cluster;

/// <summary>Tenant limits hold exactly across front ends (SPEC §16.2): decided in one grain, not per process.</summary>
public sealed class ClusterLimitsTests
{
    [Fact]
    public async Task RpmLimit_AdmitsExactlyTheLimit_AcrossTwoFrontEnds()
    {
        await using var cluster = await ClusterTestHost.StartAsync(silos: 2, fronts: 2);
        var grains = cluster.Fronts[0].Services.GetRequiredService<IGrainFactory>();
        Assert.True((await grains.GetGrain<IGitHubAccountGrain>(FakeUpstreamState.DefaultLogin).RegisterAsync(FakeUpstreamState.DefaultGitHubToken)).Succeeded);
        // Wait until both silos see each other as active: while membership is still forming, grain placement may
        // briefly disagree between silos, and this test is about one admission grain deciding for everyone.
        var management = grains.GetGrain<Orleans.Runtime.IManagementGrain>(0);
        for (var i = 0; i < 100 && (await management.GetHosts(onlyActive: true)).Count < 2; i++)
        {
            await Task.Delay(100);
        }
        await grains.GetGrain<ITenantAdmissionGrain>("default").SetLimitsAsync(new AdmissionLimits(Rpm: 7));

        var burst = Enumerable.Range(0, 24).Select(async i =>
        {
            var front = cluster.Fronts[i % 2];
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = new StringContent($$"""{"model":"gpt-4.1","messages":[{"role":"user","content":"burst {{i}}"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClusterTestHost.ApiKey);
            using var response = await front.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(burst);
        var summary = string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key}×{g.Count()}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) == 7, $"expected 7 admitted and 17 refused, got {summary}");
        Assert.Equal(17, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(7, cluster.Upstream.RequestsTo("/chat/completions").Count(r => r.BodyText.Contains("burst")));
    }
}
