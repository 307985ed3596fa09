namespace Gateway.Grains.Accounts;

/// <summary>When Copilot tokens are refreshed (SPEC §2.3) and how long front ends may cache a lease.</summary>
public static class TokenRefreshSchedule
{
    /// <summary>Refresh this long before <c>refresh_in</c> says so.</summary>
    public static readonly TimeSpan RefreshLead = TimeSpan.FromSeconds(60);

    /// <summary>After a failed refresh, try again this often (SPEC §2.3: every 15 s).</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(15);

    /// <summary>A token this close to expiry is treated as expired and never handed out.</summary>
    public static readonly TimeSpan ExpirySafety = TimeSpan.FromSeconds(30);

    /// <summary><c>refresh_in − 60 s</c> after the exchange, but never in the past and never after the token expires.</summary>
    public static DateTimeOffset NextRefresh(DateTimeOffset exchangedAt, TimeSpan refreshIn, DateTimeOffset expiresAt)
    {
        var due = exchangedAt + refreshIn - RefreshLead;
        var latest = expiresAt - RefreshLead;
        if (due > latest)
        {
            due = latest;
        }
        return due < exchangedAt ? exchangedAt : due;
    }

    public static bool IsUsable(DateTimeOffset? expiresAt, DateTimeOffset now)
        => expiresAt is { } e && e - ExpirySafety > now;

    /// <summary>Front ends may cache a lease until the grain's next refresh, and never past the safety margin.</summary>
    public static DateTimeOffset LeaseRenewAfter(DateTimeOffset refreshDueAt, DateTimeOffset expiresAt)
    {
        var bySafety = expiresAt - ExpirySafety;
        return refreshDueAt < bySafety ? refreshDueAt : bySafety;
    }
}
