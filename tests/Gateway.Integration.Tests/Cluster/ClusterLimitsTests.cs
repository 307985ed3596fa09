using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Abstractions.Limits;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Integration.Tests.Admin.AdminClient;

namespace Gateway.Integration.Tests.Cluster;

/// <summary>Tenant limits hold exactly across front ends (SPEC §16.2): decided in one grain, not per process.</summary>
public sealed class ClusterLimitsTests
{
    [Fact]
    public async Task RpmLimit_AdmitsExactlyTheLimit_AcrossTwoFrontEnds()
    {
        await using var cluster = await ClusterTestHost.StartAsync(silos: 2, fronts: 2);
        var grains = await PrepareAsync(cluster);
        // Through the admin API, as an admin would: the tenant grain pushes its limits to the admission grain.
        await JsonAsync(cluster.Fronts[1].Client, HttpMethod.Patch, "/admin/tenants/default", ClusterTestHost.AdminKey, """{"limits":{"rpm":7}}""", HttpStatusCode.OK);

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

    /// <summary>
    /// A monthly budget under a concurrent burst through two front ends: requests reserve their worst-case cost at
    /// admission, so the month's spend never passes the budget, and it equals the cost of exactly the admitted
    /// requests. Built-in gpt-4.1 prices (2 / 8 / 0.5 USD per million); the fake answers prompt 20 (4 cached) and
    /// completion 10: 16 × 2 + 10 × 8 + 4 × 0.5 = 114 per million = 114,000 nano-USD per request. With max_tokens 10
    /// the reservation is about 120,000, so a 1,000,000 budget admits at least 8 and at most 8 in flight at once.
    /// </summary>
    [Fact]
    public async Task MonthlyBudget_NeverOvershoots_UnderAConcurrentBurstThroughTwoFrontEnds()
    {
        const long Budget = 1_000_000;
        const long CostPerRequest = 114_000;
        await using var cluster = await ClusterTestHost.StartAsync(silos: 2, fronts: 2);
        var grains = await PrepareAsync(cluster);
        var admission = grains.GetGrain<ITenantAdmissionGrain>("default");
        await JsonAsync(cluster.Fronts[1].Client, HttpMethod.Patch, "/admin/tenants/default", ClusterTestHost.AdminKey,
            """{"budget":{"monthly":0.001,"currency":"USD"}}""", HttpStatusCode.OK);
        Assert.Equal(Budget, (await admission.GetLimitsAsync()).MonthlyBudgetNanos);

        var burst = Enumerable.Range(0, 24).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = new StringContent($$"""{"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":"spend {{i}}"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClusterTestHost.ApiKey);
            using var response = await cluster.Fronts[i % 2].Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("\"code\":\"insufficient_quota\"", body);
            }
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(burst);
        var summary = string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key}×{g.Count()}"));
        var admitted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.True(admitted >= 8 && admitted + statuses.Count(s => s == HttpStatusCode.TooManyRequests) == 24, summary);
        Assert.Equal(admitted, cluster.Upstream.RequestsTo("/chat/completions").Count(r => r.BodyText.Contains("spend")));

        // Settles reach the grain just after the responses: wait (bounded) until nothing is reserved any more.
        BudgetSpend spend = await admission.GetSpendAsync();
        for (var i = 0; i < 100 && spend.ReservedNanos > 0; i++)
        {
            await Task.Delay(100);
            spend = await admission.GetSpendAsync();
        }
        Assert.Equal(0, spend.ReservedNanos);
        Assert.Equal(admitted * CostPerRequest, spend.SpentNanos);
        Assert.True(spend.SpentNanos <= Budget, $"spent {spend.SpentNanos} of {Budget} ({summary})");
    }

    /// <summary>
    /// Registers the fake's account and waits until both silos see each other as active: while membership is still
    /// forming, grain placement may briefly disagree between silos, and these tests are about one admission grain
    /// deciding for everyone.
    /// </summary>
    private static async Task<IGrainFactory> PrepareAsync(ClusterTestHost cluster)
    {
        var grains = cluster.Fronts[0].Services.GetRequiredService<IGrainFactory>();
        Assert.True((await grains.GetGrain<IGitHubAccountGrain>(FakeUpstreamState.DefaultLogin).RegisterAsync(FakeUpstreamState.DefaultGitHubToken)).Succeeded);
        // Every silo's own view, not the membership table: a silo that has not yet learned of the other still
        // believes it owns the whole directory.
        var views = cluster.Silos.Select(silo => silo.Services.GetRequiredService<Orleans.Runtime.IClusterMembershipService>()).ToList();
        for (var i = 0; i < 200 && views.Any(v => v.CurrentSnapshot.Members.Values.Count(m => m.Status == Orleans.Runtime.SiloStatus.Active) < cluster.Silos.Count); i++)
        {
            await Task.Delay(100);
        }
        Assert.All(views, v => Assert.Equal(cluster.Silos.Count, v.CurrentSnapshot.Members.Values.Count(m => m.Status == Orleans.Runtime.SiloStatus.Active)));
        return grains;
    }
}
