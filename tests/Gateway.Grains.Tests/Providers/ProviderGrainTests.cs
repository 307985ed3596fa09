using Gateway.Grains.Abstractions.Providers;
using Gateway.Grains.Tests.Accounts;

namespace Gateway.Grains.Tests.Providers;

/// <summary>A provider's cluster-wide circuit (DESIGN §3), with the default options (5 failures, 30 s, 600 s cap), on fake time.</summary>
[Collection(nameof(AccountCluster))]
public sealed class ProviderGrainTests(AccountClusterFixture fixture)
{
    private IProviderGrain Provider(string name) => fixture.Cluster.GrainFactory.GetGrain<IProviderGrain>(name);

    private static DateTimeOffset Now => AccountClusterFixture.Time.GetUtcNow();

    private static readonly ProviderOutcome Failure = new(ProviderOutcomeKind.Failure, Reason: "HTTP 502");

    [Fact]
    public async Task ConsecutiveFailures_OpenTheCircuit_ATrialAfterItReopensOrCloses()
    {
        var provider = Provider("circuit-" + Guid.NewGuid().ToString("N")[..6]);
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(new ProviderHealth(null, null, i), await provider.ReportAsync(Failure));
        }
        var open = await provider.ReportAsync(Failure);
        Assert.Equal(new ProviderHealth(Now + TimeSpan.FromSeconds(30), "5 consecutive failures (HTTP 502)", 5), open);
        Assert.Equal(open, await provider.GetHealthAsync());

        AccountClusterFixture.Time.Advance(TimeSpan.FromSeconds(31));
        // The cooldown is over: the next request is a trial. Another failure reopens at once.
        Assert.Equal(new ProviderHealth(null, null, 5), await provider.GetHealthAsync());
        Assert.Equal(Now + TimeSpan.FromSeconds(30), (await provider.ReportAsync(Failure)).UnavailableUntil);

        AccountClusterFixture.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(ProviderHealth.Healthy, await provider.ReportAsync(new ProviderOutcome(ProviderOutcomeKind.Success)));
    }

    [Fact]
    public async Task RateLimited_CoolsDownForRetryAfter_Capped()
    {
        var provider = Provider("limited-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(new ProviderHealth(Now + TimeSpan.FromSeconds(7), "rate limited by the provider", 0),
            await provider.ReportAsync(new ProviderOutcome(ProviderOutcomeKind.RateLimited, TimeSpan.FromSeconds(7))));
        // A shorter wait never shortens a cooldown already running; an absurd one is capped at 600 s.
        Assert.Equal(Now + TimeSpan.FromSeconds(7), (await provider.ReportAsync(new ProviderOutcome(ProviderOutcomeKind.RateLimited, TimeSpan.FromSeconds(2)))).UnavailableUntil);
        Assert.Equal(Now + TimeSpan.FromSeconds(600), (await provider.ReportAsync(new ProviderOutcome(ProviderOutcomeKind.RateLimited, TimeSpan.FromDays(1)))).UnavailableUntil);
    }
}
