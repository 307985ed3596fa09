namespace Gateway.Grains.Options;

/// <summary>
/// A daily window <c>[start, end)</c> in <see cref="TimeZone"/>, as <c>HH:mm</c>; a window whose end is before its
/// start runs over midnight. Prices set here replace the base (or tier) prices during the window.
/// </summary>
public sealed class OffPeakPricingOptions : PriceOptions
{
    public string? Start { get; set; }

    public string? End { get; set; }

    /// <summary>IANA time zone of <see cref="Start"/> and <see cref="End"/>; UTC when unset.</summary>
    public string? TimeZone { get; set; }
}
