using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Accounts;
using Gateway.Grains.Security;

namespace Gateway.Grains.Tests.Accounts;

/// <summary>
/// The account grain on fake time: exchange at registration, refresh at <c>refresh_in − 60 s</c>, failures keep the
/// old token, 401 refreshes once, concurrent callers share one refresh, 429 cooldowns. Each test uses its own login.
/// </summary>
[Collection(nameof(AccountCluster))]
public sealed class GitHubAccountGrainTests(AccountClusterFixture fixture)
{
    private static readonly StubGitHub GitHub = AccountClusterFixture.GitHub;

    private IGitHubAccountGrain Account(string login) => fixture.Cluster.GrainFactory.GetGrain<IGitHubAccountGrain>(login);

    private static DateTimeOffset Now => AccountClusterFixture.Time.GetUtcNow();

    private static void Advance(TimeSpan by) => AccountClusterFixture.Time.Advance(by);

    [Fact]
    public async Task Register_ExchangesOnceAndLeasesTheToken()
    {
        var registration = await Account("register-user").RegisterAsync("gho_register");
        Assert.True(registration.Succeeded, registration.Error);
        var lease = (await Account("register-user").GetLeaseAsync(0)).Lease!;
        Assert.Equal(1, GitHub.ExchangesOf("gho_register"));
        Assert.StartsWith("tid=copilot-", lease.CopilotToken);
        Assert.Equal("https://copilot.example.test", lease.CopilotBaseUrl);
        Assert.Equal(64, lease.MachineId.Length);
        Assert.True(Guid.TryParse(lease.DeviceId, out _));
        // The lease may be cached until the grain's own refresh (refresh_in − 60 s = 1440 s).
        Assert.InRange(lease.RenewAfter - Now, TimeSpan.FromSeconds(1439), TimeSpan.FromSeconds(1441));
        var directory = await fixture.Cluster.GrainFactory.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).GetAsync();
        Assert.Contains("register-user", directory.Logins);
    }

    [Fact]
    public async Task LeaseBeforeRefreshDue_DoesNotExchangeAgain_AfterDue_ExchangesExactlyOnce()
    {
        var account = Account("timing-user");
        await account.RegisterAsync("gho_timing");
        var first = (await account.GetLeaseAsync(0)).Lease!;
        Advance(TimeSpan.FromSeconds(1400));
        var stillFirst = (await account.GetLeaseAsync(0)).Lease!;
        Assert.Equal(first.CopilotToken, stillFirst.CopilotToken);
        Assert.Equal(1, GitHub.ExchangesOf("gho_timing"));

        Advance(TimeSpan.FromSeconds(41)); // now past refresh_in − 60 s
        var second = (await account.GetLeaseAsync(0)).Lease!;
        Assert.NotEqual(first.CopilotToken, second.CopilotToken);
        Assert.Equal(2, GitHub.ExchangesOf("gho_timing"));
        var third = (await account.GetLeaseAsync(0)).Lease!;
        Assert.Equal(second.CopilotToken, third.CopilotToken);
        Assert.Equal(2, GitHub.ExchangesOf("gho_timing"));
    }

    [Fact]
    public async Task FailedRefresh_KeepsServingTheValidToken_AndRetriesAfter15Seconds()
    {
        var account = Account("failing-user");
        await account.RegisterAsync("gho_failing");
        var first = (await account.GetLeaseAsync(0)).Lease!;
        GitHub.FailNext("gho_failing", 1);
        Advance(TimeSpan.FromSeconds(1441));
        var during = await account.GetLeaseAsync(0);
        Assert.Equal(first.CopilotToken, during.Lease!.CopilotToken);
        // After a failure the lease must be renewed soon: at the next retry, not at the old schedule.
        Assert.InRange(during.Lease.RenewAfter - Now, TimeSpan.Zero, TokenRefreshSchedule.RetryInterval);

        Advance(TimeSpan.FromSeconds(16));
        var after = (await account.GetLeaseAsync(0)).Lease!;
        Assert.NotEqual(first.CopilotToken, after.CopilotToken);
    }

    [Fact]
    public async Task ExpiredTokenAndFailingExchange_GivesUnavailable_NeverTheExpiredToken()
    {
        var account = Account("expired-user");
        await account.RegisterAsync("gho_expired");
        GitHub.FailNext("gho_expired", 1000);
        Advance(TimeSpan.FromSeconds(1800));
        var result = await account.GetLeaseAsync(0);
        Assert.Null(result.Lease);
        Assert.Equal(LeaseFailure.Unavailable, result.Failure);
        GitHub.FailNext("gho_expired", 0);
    }

    [Fact]
    public async Task Unauthorized_RefreshesOnceForConcurrentCallersWithTheSameStaleToken()
    {
        var account = Account("unauthorized-user");
        await account.RegisterAsync("gho_unauth");
        var stale = (await account.GetLeaseAsync(0)).Lease!;
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => account.RefreshAfterUnauthorizedAsync(stale.TokenHash, 0)));
        Assert.Equal(2, GitHub.ExchangesOf("gho_unauth"));
        Assert.All(results, r => Assert.NotEqual(stale.CopilotToken, r.Lease!.CopilotToken));
        Assert.Single(results.Select(r => r.Lease!.CopilotToken).Distinct());
    }

    [Fact]
    public async Task ConcurrentLeasesAtRefreshTime_ShareOneExchange()
    {
        var account = Account("concurrent-user");
        await account.RegisterAsync("gho_concurrent");
        GitHub.ExchangeDelay = TimeSpan.FromMilliseconds(100);
        Advance(TimeSpan.FromSeconds(1441));
        try
        {
            var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => account.GetLeaseAsync(0)));
            Assert.Equal(2, GitHub.ExchangesOf("gho_concurrent"));
            Assert.Single(leases.Select(l => l.Lease!.CopilotToken).Distinct());
        }
        finally
        {
            GitHub.ExchangeDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task RateLimited_CoolsDownForRetryAfter()
    {
        var account = Account("ratelimited-user");
        await account.RegisterAsync("gho_rl");
        await account.ReportRateLimitedAsync(TimeSpan.FromSeconds(30));
        var cooling = await account.GetLeaseAsync(0);
        Assert.Equal(LeaseFailure.CoolingDown, cooling.Failure);
        Assert.Equal(TimeSpan.FromSeconds(30), cooling.RetryAfter);
        Advance(TimeSpan.FromSeconds(31));
        Assert.NotNull((await account.GetLeaseAsync(0)).Lease);
    }

    [Fact]
    public async Task Lease_CarriesTheCatalogueOnlyWhenTheCallerIsBehind()
    {
        var account = Account("catalog-user");
        await account.RegisterAsync("gho_catalog");
        var first = await account.GetLeaseAsync(0);
        Assert.NotNull(first.Catalog);
        Assert.Contains("gpt-4.1", first.Catalog!.Json);
        var second = await account.GetLeaseAsync(first.Catalog.Version);
        Assert.Null(second.Catalog);
    }

    [Fact]
    public async Task UnknownAccount_IsNotRegistered()
    {
        var result = await Account("nobody").GetLeaseAsync(0);
        Assert.Equal(LeaseFailure.NotRegistered, result.Failure);
    }

    [Fact]
    public void SecretProtector_RoundTripsAndNeverStoresPlaintext()
    {
        var protector = new SecretProtector(new byte[32]);
        var stored = protector.Protect("gho_secret_value");
        Assert.DoesNotContain("gho_secret_value", stored);
        Assert.StartsWith("v1:", stored);
        Assert.NotEqual(stored, protector.Protect("gho_secret_value"));
        Assert.Equal("gho_secret_value", protector.Unprotect(stored));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => new SecretProtector(Enumerable.Repeat((byte)1, 32).ToArray()).Unprotect(stored));
    }
}

[CollectionDefinition(nameof(AccountCluster))]
public sealed class AccountCluster : ICollectionFixture<AccountClusterFixture>;
