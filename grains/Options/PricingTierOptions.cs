namespace Gateway.Grains.Options;

/// <summary>Prices for requests whose whole input (fresh + cache read + cache write) is at most <see cref="MaxInputTokens"/>.</summary>
public sealed class PricingTierOptions : PriceOptions
{
    public long? MaxInputTokens { get; set; }
}
