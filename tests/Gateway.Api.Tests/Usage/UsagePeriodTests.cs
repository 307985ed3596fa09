using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Usage;

/// <summary>Periods, aliases, calendar boundaries in the caller's zone and the 180-point series cap (SPEC §15.3).</summary>
public sealed class UsagePeriodTests
{
    private static readonly TimeZoneInfo _berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Thursday 2026-11-26 00:30 in Berlin (UTC+1): still Wednesday in UTC.
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 23, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, "today")]
    [InlineData("", "today")]
    [InlineData("day", "today")]
    [InlineData("week", "last_7_days")]
    [InlineData("month", "last_30_days")]
    [InlineData("THIS_WEEK", "this_week")]
    [InlineData("lifetime", "lifetime")]
    public void TryNormalize_KnownNamesAndAliases_GiveTheCanonicalPeriod(string? value, string expected)
    {
        Assert.True(UsagePeriod.TryNormalize(value, out var name));
        Assert.Equal(expected, name);
    }

    [Fact]
    public void TryNormalize_UnknownName_Fails() => Assert.False(UsagePeriod.TryNormalize("yesterday", out _));

    [Theory]
    [InlineData("today", "2026-11-26T00:00:00+01:00")]
    [InlineData("this_week", "2026-11-23T00:00:00+01:00")]
    [InlineData("last_7_days", "2026-11-20T00:00:00+01:00")]
    [InlineData("this_month", "2026-11-01T00:00:00+01:00")]
    [InlineData("last_30_days", "2026-10-28T00:00:00+01:00")]
    public void Resolve_CalendarPeriods_StartAtLocalMidnight(string name, string expectedFrom)
    {
        var period = UsagePeriod.Resolve(name, _now, _berlin, null);

        Assert.Equal(DateTimeOffset.Parse(expectedFrom), period.From);
        Assert.Equal(_now, period.To);
    }

    [Fact]
    public void Resolve_Lifetime_StartsOnTheDayOfTheFirstRecordOrToday()
    {
        var first = new DateTimeOffset(2026, 3, 10, 5, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(1)), UsagePeriod.Resolve("lifetime", _now, _berlin, first).From);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.FromHours(1)), UsagePeriod.Resolve("lifetime", _now, _berlin, null).From);
    }

    [Fact]
    public void BucketStarts_AcrossDstChange_FollowLocalMidnights()
    {
        // Berlin leaves summer time on 2026-10-25: that day has 25 hours.
        var now = new DateTimeOffset(2026, 10, 26, 12, 0, 0, TimeSpan.Zero);
        var period = UsagePeriod.Resolve("last_7_days", now, _berlin, null);

        Assert.Equal(
        [
            DateTimeOffset.Parse("2026-10-20T00:00:00+02:00"),
            DateTimeOffset.Parse("2026-10-21T00:00:00+02:00"),
            DateTimeOffset.Parse("2026-10-22T00:00:00+02:00"),
            DateTimeOffset.Parse("2026-10-23T00:00:00+02:00"),
            DateTimeOffset.Parse("2026-10-24T00:00:00+02:00"),
            DateTimeOffset.Parse("2026-10-25T00:00:00+02:00"),
            DateTimeOffset.Parse("2026-10-26T00:00:00+01:00"),
        ], period.BucketStarts());
    }

    [Fact]
    public void BucketStarts_LongLifetime_WidenToAtMost180Points()
    {
        var first = _now.AddDays(-400);
        var period = UsagePeriod.Resolve("lifetime", _now, TimeZoneInfo.Utc, first);

        var starts = period.BucketStarts();

        // 401 days at 3 days per bucket.
        Assert.Equal(134, starts.Count);
        Assert.Equal(period.From, starts[0]);
        Assert.All(starts.Zip(starts.Skip(1)), pair => Assert.Equal(TimeSpan.FromDays(3), pair.Second - pair.First));
    }
}
