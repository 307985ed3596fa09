using Gateway.Grains.Accounts;

namespace Gateway.Grains.Tests.Accounts;

public sealed class TokenRefreshScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NextRefresh_IsRefreshInMinus60Seconds()
    {
        Assert.Equal(T0.AddSeconds(1440), TokenRefreshSchedule.NextRefresh(T0, TimeSpan.FromSeconds(1500), T0.AddSeconds(1800)));
    }

    [Fact]
    public void NextRefresh_NeverAfterExpiryMinus60Seconds()
    {
        Assert.Equal(T0.AddSeconds(540), TokenRefreshSchedule.NextRefresh(T0, TimeSpan.FromSeconds(1500), T0.AddSeconds(600)));
    }

    [Fact]
    public void NextRefresh_NeverInThePast()
    {
        Assert.Equal(T0, TokenRefreshSchedule.NextRefresh(T0, TimeSpan.FromSeconds(10), T0.AddSeconds(1800)));
    }

    [Fact]
    public void TokenWithin30SecondsOfExpiry_IsNotUsable()
    {
        Assert.True(TokenRefreshSchedule.IsUsable(T0.AddSeconds(31), T0));
        Assert.False(TokenRefreshSchedule.IsUsable(T0.AddSeconds(30), T0));
        Assert.False(TokenRefreshSchedule.IsUsable(null, T0));
    }

    [Fact]
    public void LeaseRenewAfter_IsTheEarlierOfRefreshAndSafetyMargin()
    {
        Assert.Equal(T0.AddSeconds(100), TokenRefreshSchedule.LeaseRenewAfter(T0.AddSeconds(100), T0.AddSeconds(1000)));
        Assert.Equal(T0.AddSeconds(970), TokenRefreshSchedule.LeaseRenewAfter(T0.AddSeconds(2000), T0.AddSeconds(1000)));
    }
}
