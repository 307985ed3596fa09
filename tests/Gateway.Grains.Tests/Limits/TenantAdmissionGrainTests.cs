using Gateway.Grains.Abstractions.Limits;
using Gateway.Grains.Tests.Accounts;

namespace Gateway.Grains.Tests.Limits;

/// <summary>Tenant limits (SPEC §16.2) decided in one grain, on fake time. Each test uses its own tenant.</summary>
[Collection(nameof(AccountCluster))]
public sealed class TenantAdmissionGrainTests(AccountClusterFixture fixture)
{
    private ITenantAdmissionGrain Tenant(string id) => fixture.Cluster.GrainFactory.GetGrain<ITenantAdmissionGrain>(id);

    private static AdmissionRequest Request(long tokens = 10, bool stream = false, long cost = 0) => new(Guid.NewGuid(), tokens, stream, cost);

    private const long Cent = 10_000_000; // nano-units

    private static void Advance(TimeSpan by) => AccountClusterFixture.Time.Advance(by);

    [Fact]
    public async Task Rpm_AdmitsExactlyTheLimitPerMinute()
    {
        var tenant = Tenant("rpm-tenant");
        await tenant.SetLimitsAsync(new AdmissionLimits(Rpm: 3));
        var results = new List<Admission>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await tenant.AdmitAsync(Request()));
        }
        Assert.Equal([true, true, true, false, false], results.Select(r => r.Admitted));
        Assert.Equal("rpm", results[3].RefusedBy);
        Assert.InRange(results[3].RetryAfter, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(60));
        Advance(TimeSpan.FromSeconds(61));
        Assert.True((await tenant.AdmitAsync(Request())).Admitted);
    }

    [Fact]
    public async Task Tpm_CountsReservationsThenSettledTokens()
    {
        var tenant = Tenant("tpm-tenant");
        await tenant.SetLimitsAsync(new AdmissionLimits(Tpm: 1000));
        var first = Request(tokens: 800);
        Assert.True((await tenant.AdmitAsync(first)).Admitted);
        // 800 reserved: a 300-token request would overshoot.
        var refused = await tenant.AdmitAsync(Request(tokens: 300));
        Assert.Equal("tpm", refused.RefusedBy);
        // The first request really used 100 tokens: now there is room.
        await tenant.SettleAsync(first.ReservationId, 100, 0);
        Assert.True((await tenant.AdmitAsync(Request(tokens: 300))).Admitted);
    }

    [Fact]
    public async Task ConcurrentStreams_HoldASlotUntilSettled()
    {
        var tenant = Tenant("streams-tenant");
        await tenant.SetLimitsAsync(new AdmissionLimits(ConcurrentStreams: 2));
        var a = Request(stream: true);
        var b = Request(stream: true);
        Assert.True((await tenant.AdmitAsync(a)).Admitted);
        Assert.True((await tenant.AdmitAsync(b)).Admitted);
        Assert.Equal("concurrent_streams", (await tenant.AdmitAsync(Request(stream: true))).RefusedBy);
        Assert.True((await tenant.AdmitAsync(Request(stream: false))).Admitted);
        await tenant.SettleAsync(a.ReservationId, 5, 0);
        Assert.True((await tenant.AdmitAsync(Request(stream: true))).Admitted);
    }

    [Fact]
    public async Task MinInterval_RefusesOrSerialisesWaiters()
    {
        var refusing = Tenant("interval-refuse");
        await refusing.SetLimitsAsync(new AdmissionLimits(MinIntervalSeconds: 5));
        Assert.True((await refusing.AdmitAsync(Request())).Admitted);
        Advance(TimeSpan.FromSeconds(2));
        var refused = await refusing.AdmitAsync(Request());
        Assert.Equal("min_interval", refused.RefusedBy);
        Assert.Equal(TimeSpan.FromSeconds(3), refused.RetryAfter);

        var waiting = Tenant("interval-wait");
        await waiting.SetLimitsAsync(new AdmissionLimits(MinIntervalSeconds: 5, WaitForInterval: true));
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var admission = await waiting.AdmitAsync(Request());
            Assert.True(admission.Admitted);
            delays.Add(admission.Delay);
        }
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], delays);
    }

    [Fact]
    public async Task NoLimits_AdmitsEverything()
    {
        var tenant = Tenant("free-tenant");
        Assert.True((await tenant.GetLimitsAsync()).IsUnlimited);
        for (var i = 0; i < 50; i++)
        {
            Assert.True((await tenant.AdmitAsync(Request(tokens: 1_000_000, stream: true))).Admitted);
        }
    }

    [Fact]
    public async Task Budget_ReservedCostKeepsConcurrentRequestsUnderIt()
    {
        var tenant = Tenant("budget-reserve");
        await tenant.SetLimitsAsync(new AdmissionLimits(MonthlyBudgetNanos: 100 * Cent, BudgetCurrency: "USD"));
        var a = Request(cost: 40 * Cent, stream: true);
        var b = Request(cost: 40 * Cent, stream: true);
        Assert.True((await tenant.AdmitAsync(a)).Admitted);
        Assert.True((await tenant.AdmitAsync(b)).Admitted);
        // 80 cents reserved: a third 40-cent worst case would overshoot a 1 USD budget.
        var refused = await tenant.AdmitAsync(Request(cost: 40 * Cent));
        Assert.False(refused.Admitted);
        Assert.Equal("budget", refused.RefusedBy);
        Assert.Equal(new BudgetSpend(Month(), "USD", 0, 80 * Cent, 100 * Cent), await tenant.GetSpendAsync());

        // a really cost 10 cents: 10 spent + 40 reserved leaves room for one more 40-cent request, not two.
        await tenant.SettleAsync(a.ReservationId, 1000, 10 * Cent);
        Assert.True((await tenant.AdmitAsync(Request(cost: 40 * Cent))).Admitted);
        Assert.Equal("budget", (await tenant.AdmitAsync(Request(cost: 40 * Cent))).RefusedBy);
        Assert.Equal(new BudgetSpend(Month(), "USD", 10 * Cent, 80 * Cent, 100 * Cent), await tenant.GetSpendAsync());
    }

    [Fact]
    public async Task Budget_ExhaustedRefusesEvenUnpricedRequestsUntilNextMonth()
    {
        var tenant = Tenant("budget-exhausted");
        await tenant.SetLimitsAsync(new AdmissionLimits(MonthlyBudgetNanos: 5 * Cent, BudgetCurrency: "EUR"));
        var first = Request(cost: 5 * Cent);
        Assert.True((await tenant.AdmitAsync(first)).Admitted);
        await tenant.SettleAsync(first.ReservationId, 10, 7 * Cent); // the estimate was low: spend passes the budget
        Assert.Equal(new BudgetSpend(Month(), "EUR", 7 * Cent, 0, 5 * Cent), await tenant.GetSpendAsync());

        var refused = await tenant.AdmitAsync(Request(cost: 0));
        Assert.Equal("budget", refused.RefusedBy);
        var now = AccountClusterFixture.Time.GetUtcNow();
        var nextMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        Assert.Equal(nextMonth - now, refused.RetryAfter);

        // Raising the budget lets requests through again at once.
        await tenant.SetLimitsAsync(new AdmissionLimits(MonthlyBudgetNanos: 50 * Cent, BudgetCurrency: "EUR"));
        Assert.True((await tenant.AdmitAsync(Request(cost: 5 * Cent))).Admitted);
    }

    [Fact]
    public async Task Budget_SettleOfAnUnknownReservationAddsNothing()
    {
        var tenant = Tenant("budget-unknown");
        await tenant.SetLimitsAsync(new AdmissionLimits(MonthlyBudgetNanos: 5 * Cent));
        await tenant.SettleAsync(Guid.NewGuid(), 10, 3 * Cent);
        Assert.Equal(0, (await tenant.GetSpendAsync()).SpentNanos);
        Assert.False((await tenant.GetLimitsAsync()).IsUnlimited);
    }

    private static string Month() => AccountClusterFixture.Time.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
