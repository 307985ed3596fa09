namespace Gateway.Grains.Options;

/// <summary>
/// A model's <c>pricing</c> (SPEC §13.4, §15.2): base prices in one currency, optional tiers by prompt size and
/// off-peak windows with their own prices. Used for the cost of usage records and for monthly budgets.
/// </summary>
public sealed class ModelPricingOptions : PriceOptions
{
    /// <summary>ISO 4217 code of every price of this model.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>The first tier whose <see cref="PricingTierOptions.MaxInputTokens"/> is ≥ the request's input applies.</summary>
    public List<PricingTierOptions> Tiers { get; set; } = [];

    /// <summary>Windows of the day with their own prices; the first window that contains the request's time applies.</summary>
    public List<OffPeakPricingOptions> OffPeak { get; set; } = [];
}
