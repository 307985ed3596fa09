namespace Gateway.Api.Usage;

/// <summary>A resolved query period (SPEC §15.3): its canonical name and its range in the caller's time zone.</summary>
public sealed record UsagePeriod(string Name, DateTimeOffset From, DateTimeOffset To, TimeZoneInfo TimeZone)
{
    /// <summary>Most trend points a response carries; longer periods widen the buckets (SPEC §15.3).</summary>
    public const int MaxSeriesPoints = 180;

    public const string DefaultName = "today";

    /// <summary>The canonical period for a query value, aliases resolved; false for an unknown name.</summary>
    public static bool TryNormalize(string? value, out string name)
    {
        name = (string.IsNullOrWhiteSpace(value) ? DefaultName : value.Trim().ToLowerInvariant()) switch
        {
            "today" or "day" => "today",
            "this_week" => "this_week",
            "last_7_days" or "week" => "last_7_days",
            "this_month" => "this_month",
            "last_30_days" or "month" => "last_30_days",
            "lifetime" => "lifetime",
            _ => "",
        };
        return name.Length > 0;
    }

    /// <summary>
    /// Calendar boundaries are local midnights in <paramref name="timeZone"/>; weeks start on Monday; the range ends
    /// now. <c>lifetime</c> starts on the day of the tenant's first record (today when there is none).
    /// </summary>
    public static UsagePeriod Resolve(string name, DateTimeOffset now, TimeZoneInfo timeZone, DateTimeOffset? firstRecord)
    {
        var today = LocalDate(now, timeZone);
        var fromDate = name switch
        {
            "today" => today,
            "this_week" => today.AddDays(-(((int)today.DayOfWeek + 6) % 7)),
            "last_7_days" => today.AddDays(-6),
            "this_month" => new DateOnly(today.Year, today.Month, 1),
            "last_30_days" => today.AddDays(-29),
            "lifetime" => firstRecord is { } first && LocalDate(first, timeZone) < today ? LocalDate(first, timeZone) : today,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown usage period."),
        };
        return new UsagePeriod(name, StartOfDay(fromDate, timeZone), now, timeZone);
    }

    /// <summary>
    /// Starts of the trend buckets: one per local day, or every N days when the period has more than
    /// <see cref="MaxSeriesPoints"/> days, so there are never more than that many.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> BucketStarts()
    {
        var first = LocalDate(From, TimeZone);
        var last = LocalDate(To, TimeZone);
        var days = last.DayNumber - first.DayNumber + 1;
        var width = (days + MaxSeriesPoints - 1) / MaxSeriesPoints;
        var starts = new List<DateTimeOffset>((days + width - 1) / width);
        for (var day = 0; day < days; day += width)
        {
            starts.Add(StartOfDay(first.AddDays(day), TimeZone));
        }
        return starts;
    }

    public UsageRange Range => new(From, To);

    /// <summary>An instant as local time in this period's zone, for responses.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo timeZone)
        => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, timeZone).DateTime);

    /// <summary>
    /// The first instant of a local day. Where a DST change skips midnight the day starts at the first valid local
    /// time; where midnight happens twice, at the earlier one.
    /// </summary>
    internal static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo timeZone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (timeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        var offset = timeZone.IsAmbiguousTime(local) ? timeZone.GetAmbiguousTimeOffsets(local).Max() : timeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
