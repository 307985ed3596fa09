using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Usage;

/// <summary>
/// The contract both usage stores meet (DESIGN §4): idempotent batches, tenant isolation, half-open time ranges,
/// paging newest first, and the sums of every query. Subclasses supply a fresh, migrated, empty store per test.
/// </summary>
public abstract class UsageStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _t0 = TestRecords.Start;
    private IUsageStore _store = null!;

    protected abstract Task<IUsageStore> CreateStoreAsync();

    protected abstract Task DisposeStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync() => DisposeStoreAsync();

    private static UsageRange All => new(null, _t0.AddDays(365));

    [Fact]
    public async Task WriteBatch_SameIdsAgain_StoresEachRecordOnce()
    {
        var a = TestRecords.Create(at: _t0);
        var b = TestRecords.Create(at: _t0.AddSeconds(1));
        var c = TestRecords.Create(at: _t0.AddSeconds(2));

        Assert.Equal(2, await _store.WriteBatchAsync([a, b], default));
        Assert.Equal(1, await _store.WriteBatchAsync([a, b, c], default));
        Assert.Equal(0, await _store.WriteBatchAsync([c, c], default));

        var page = await _store.GetEventsAsync("t1", All, 1, 10, default);
        Assert.Equal(3, page.Total);
        Assert.Equal([c.Id, b.Id, a.Id], page.Records.Select(r => r.Id));
        Assert.Equal(TestRecords.Sums(a, b, c), await _store.GetTotalsAsync("t1", All, default));
    }

    [Fact]
    public async Task WriteBatch_EveryField_ReadsBackUnchanged()
    {
        var full = TestRecords.Create(at: _t0.AddMilliseconds(123), cacheRead: 7, cacheWrite: 3, provider: "openrouter", status: 499,
            currency: "USD", costNanos: 123_456_789) with
        {
            SessionId = "0f8e4e8e-1d7b-4c51-9f7e-2b8f31a6c001",
            UserId = "user_abc",
            Endpoint = "provider_messages",
            TotalTokens = 999,
        };
        var sparse = TestRecords.Create(at: _t0, key: null) with { Initiator = null, TtftMs = null, Account = "" };

        await _store.WriteBatchAsync([full, sparse], default);

        var page = await _store.GetEventsAsync("t1", All, 1, 10, default);
        Assert.Equal([full, sparse], page.Records);
    }

    [Fact]
    public async Task Cost_IsSummedPerCurrencyInEveryQuery()
    {
        var usd1 = TestRecords.Create(model: "m1", at: _t0, currency: "USD", costNanos: 1_500_000_000);
        var usd2 = TestRecords.Create(model: "m1", at: _t0.AddMinutes(1), currency: "USD", costNanos: 250_000_001);
        var cny = TestRecords.Create(model: "m1", at: _t0.AddMinutes(2), currency: "CNY", costNanos: 7_000_000_000);
        var free = TestRecords.Create(model: "m2", at: _t0.AddMinutes(3));
        await _store.WriteBatchAsync([usd1, usd2, cny, free], default);

        var both = UsageCost.Of("USD", 1_750_000_001) + UsageCost.Of("CNY", 7_000_000_000);
        var totals = await _store.GetTotalsAsync("t1", All, default);
        Assert.Equal(TestRecords.Sums(usd1, usd2, cny, free), totals);
        Assert.Equal(both, totals.Cost);
        Assert.Equal([("CNY", 7_000_000_000L), ("USD", 1_750_000_001L)], totals.Cost.Entries.Select(e => (e.Key, e.Value)));

        // Per model, per bucket and per group, the currency split is folded back into one row.
        Assert.Equal(
            [new UsageModelRow("m1", null, TestRecords.Sums(usd1, usd2, cny)), new UsageModelRow("m2", null, TestRecords.Sums(free))],
            await _store.GetByModelAsync("t1", All, default));
        Assert.Equal([new UsageSeriesPoint(_t0, TestRecords.Sums(usd1, usd2, cny, free))], await _store.GetSeriesAsync("t1", [_t0], _t0.AddDays(1), default));
        Assert.Equal(
            [Row(TestRecords.Sums(usd1, usd2, cny), (UsageDimension.Model, "m1")), Row(TestRecords.Sums(free), (UsageDimension.Model, "m2"))],
            await _store.GroupAsync(All, "t1", [UsageDimension.Model], default), new GroupRowComparer());
        Assert.Equal([Row(TestRecords.Sums(usd1, usd2, cny, free))], await _store.GroupAsync(All, "t1", [], default), new GroupRowComparer());
    }

    [Fact]
    public async Task GetEvents_Pages_NewestFirstWithTotalOverRange()
    {
        var records = Enumerable.Range(0, 5).Select(i => TestRecords.Create(at: _t0.AddMinutes(i))).ToArray();
        await _store.WriteBatchAsync(records, default);

        var pages = new List<Guid[]>();
        for (var page = 1; page <= 4; page++)
        {
            var result = await _store.GetEventsAsync("t1", All, page, 2, default);
            Assert.Equal(5, result.Total);
            pages.Add(result.Records.Select(r => r.Id).ToArray());
        }

        Assert.Equal(
            [[records[4].Id, records[3].Id], [records[2].Id, records[1].Id], [records[0].Id], []],
            pages);
    }

    [Fact]
    public async Task GetEvents_SameTimestamp_OrdersByIdDescending()
    {
        var records = Enumerable.Range(0, 4).Select(_ => TestRecords.Create(at: _t0)).ToArray();
        await _store.WriteBatchAsync(records, default);

        var result = await _store.GetEventsAsync("t1", All, 1, 10, default);

        Assert.Equal(records.Select(r => r.Id).OrderDescending(), result.Records.Select(r => r.Id));
    }

    [Fact]
    public async Task Queries_TimeRange_IsHalfOpen()
    {
        var before = TestRecords.Create(at: _t0.AddMilliseconds(-1), input: 1);
        var atStart = TestRecords.Create(at: _t0, input: 20);
        var inside = TestRecords.Create(at: _t0.AddHours(1), input: 300);
        var atEnd = TestRecords.Create(at: _t0.AddHours(2), input: 4000);
        await _store.WriteBatchAsync([before, atStart, inside, atEnd], default);
        var range = new UsageRange(_t0, _t0.AddHours(2));

        Assert.Equal(TestRecords.Sums(atStart, inside), await _store.GetTotalsAsync("t1", range, default));
        var events = await _store.GetEventsAsync("t1", range, 1, 10, default);
        Assert.Equal([inside.Id, atStart.Id], events.Records.Select(r => r.Id));
        Assert.Equal(2, events.Total);
        Assert.Equal(TestRecords.Sums(before, atStart, inside), await _store.GetTotalsAsync("t1", new UsageRange(null, _t0.AddHours(2)), default));
    }

    [Fact]
    public async Task Queries_OtherTenantsRecords_AreNeverIncluded()
    {
        var mine = TestRecords.Create(tenant: "t1", input: 10);
        var theirs = TestRecords.Create(tenant: "t2", input: 1000, model: "claude-sonnet-4.5");
        await _store.WriteBatchAsync([mine, theirs], default);

        Assert.Equal(TestRecords.Sums(mine), await _store.GetTotalsAsync("t1", All, default));
        Assert.Equal([mine.Id], (await _store.GetEventsAsync("t1", All, 1, 10, default)).Records.Select(r => r.Id));
        Assert.Equal([new UsageModelRow("gpt-5-mini", null, TestRecords.Sums(mine))], await _store.GetByModelAsync("t1", All, default));
        var series = await _store.GetSeriesAsync("t1", [_t0.AddHours(-1)], _t0.AddHours(1), default);
        Assert.Equal([new UsageSeriesPoint(_t0.AddHours(-1), TestRecords.Sums(mine))], series);
        Assert.Equal(_t0, await _store.GetFirstRecordTimeAsync("t1", default));
        Assert.Null(await _store.GetFirstRecordTimeAsync("t3", default));
        Assert.Equal([new UsageGroupRow(new Dictionary<UsageDimension, string?>(), TestRecords.Sums(mine))],
            await _store.GroupAsync(All, "t1", [], default), new GroupRowComparer());
    }

    [Fact]
    public async Task GetByModel_SumsPerModelAndProvider_MostTokensFirst()
    {
        var a1 = TestRecords.Create(model: "gpt-5-mini", input: 10, output: 1);
        var a2 = TestRecords.Create(model: "gpt-5-mini", input: 20, output: 2, cacheRead: 5);
        var b = TestRecords.Create(model: "claude-sonnet-4.5", input: 100, output: 50, cacheWrite: 8);
        var c = TestRecords.Create(model: "gpt-5-mini", provider: "openrouter", input: 1);
        await _store.WriteBatchAsync([a1, a2, b, c], default);

        var rows = await _store.GetByModelAsync("t1", All, default);

        Assert.Equal(
        [
            new UsageModelRow("claude-sonnet-4.5", null, TestRecords.Sums(b)),
            new UsageModelRow("gpt-5-mini", null, TestRecords.Sums(a1, a2)),
            new UsageModelRow("gpt-5-mini", "openrouter", TestRecords.Sums(c)),
        ], rows);
    }

    [Fact]
    public async Task GetSeries_Buckets_SumEachRangeAndZeroFillEmptyOnes()
    {
        var day1 = TestRecords.Create(at: _t0, input: 1);
        var day1Late = TestRecords.Create(at: _t0.AddHours(11).AddMinutes(59), input: 2);
        var day3 = TestRecords.Create(at: _t0.AddDays(2), input: 4);
        var afterEnd = TestRecords.Create(at: _t0.AddDays(3), input: 8);
        await _store.WriteBatchAsync([day1, day1Late, day3, afterEnd], default);
        DateTimeOffset[] starts = [_t0.AddHours(-12), _t0.AddHours(12), _t0.AddHours(36)];

        var series = await _store.GetSeriesAsync("t1", starts, _t0.AddHours(60), default);

        Assert.Equal(
        [
            new UsageSeriesPoint(starts[0], TestRecords.Sums(day1, day1Late)),
            new UsageSeriesPoint(starts[1], UsageSums.Zero),
            new UsageSeriesPoint(starts[2], TestRecords.Sums(day3)),
        ], series);
    }

    [Fact]
    public async Task Group_ByTenantAndModel_SumsAcrossTenantsOrderedByKeys()
    {
        var a = TestRecords.Create(tenant: "t2", model: "m1", input: 1);
        var b = TestRecords.Create(tenant: "t1", model: "m2", input: 2);
        var c = TestRecords.Create(tenant: "t1", model: "m1", input: 3);
        var d = TestRecords.Create(tenant: "t1", model: "m1", input: 4);
        await _store.WriteBatchAsync([a, b, c, d], default);

        var rows = await _store.GroupAsync(All, null, [UsageDimension.Tenant, UsageDimension.Model], default);

        Assert.Equal(
        [
            Row(TestRecords.Sums(c, d), (UsageDimension.Tenant, "t1"), (UsageDimension.Model, "m1")),
            Row(TestRecords.Sums(b), (UsageDimension.Tenant, "t1"), (UsageDimension.Model, "m2")),
            Row(TestRecords.Sums(a), (UsageDimension.Tenant, "t2"), (UsageDimension.Model, "m1")),
        ], rows, new GroupRowComparer());
    }

    [Fact]
    public async Task Group_ByKeyAccountProviderAndDay_KeepsNullsAndUsesUtcDays()
    {
        var a = TestRecords.Create(key: null, account: "", provider: "openrouter", at: _t0.AddHours(11).AddMinutes(59), input: 1);
        var b = TestRecords.Create(key: "k1", account: "octocat", at: _t0.AddHours(12), input: 2);
        var c = TestRecords.Create(key: "k1", account: "octocat", at: _t0.AddHours(13), input: 4);
        await _store.WriteBatchAsync([a, b, c], default);

        var rows = await _store.GroupAsync(
            All, "t1", [UsageDimension.Key, UsageDimension.Account, UsageDimension.Provider, UsageDimension.Day], default);

        Assert.Equal(
        [
            Row(TestRecords.Sums(a), (UsageDimension.Key, null), (UsageDimension.Account, ""), (UsageDimension.Provider, "openrouter"), (UsageDimension.Day, "2026-11-24")),
            Row(TestRecords.Sums(b, c), (UsageDimension.Key, "k1"), (UsageDimension.Account, "octocat"), (UsageDimension.Provider, null), (UsageDimension.Day, "2026-11-25")),
        ], rows, new GroupRowComparer());
    }

    [Fact]
    public async Task Group_TenantFilterAndRange_OnlyThoseRecords()
    {
        var early = TestRecords.Create(tenant: "t1", at: _t0.AddDays(-1), input: 1);
        var inRange = TestRecords.Create(tenant: "t1", at: _t0, input: 2);
        var other = TestRecords.Create(tenant: "t2", at: _t0, input: 4);
        await _store.WriteBatchAsync([early, inRange, other], default);

        var rows = await _store.GroupAsync(new UsageRange(_t0, _t0.AddDays(1)), "t1", [UsageDimension.Tenant], default);
        var none = await _store.GroupAsync(new UsageRange(_t0.AddDays(5), _t0.AddDays(6)), null, [], default);

        Assert.Equal([Row(TestRecords.Sums(inRange), (UsageDimension.Tenant, "t1"))], rows, new GroupRowComparer());
        Assert.Empty(none);
    }

    private static UsageGroupRow Row(UsageSums sums, params (UsageDimension Dimension, string? Value)[] keys)
        => new(keys.ToDictionary(k => k.Dimension, k => k.Value), sums);

    /// <summary>Records compare dictionaries by reference; group rows are equal when keys and sums are.</summary>
    private sealed class GroupRowComparer : IEqualityComparer<UsageGroupRow>
    {
        public bool Equals(UsageGroupRow? x, UsageGroupRow? y)
            => x is not null && y is not null && x.Sums == y.Sums && x.Keys.Count == y.Keys.Count
               && x.Keys.All(k => y.Keys.TryGetValue(k.Key, out var v) && v == k.Value);

        public int GetHashCode(UsageGroupRow obj) => obj.Sums.GetHashCode();
    }
}
