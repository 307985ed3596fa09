namespace Gateway.Api.Pricing;

/// <summary>
/// The prices that apply to one request, per million tokens, in <see cref="Currency"/> (SPEC §15.2). Costs are kept
/// in nano-units of the currency (10⁻⁹) so that sums over millions of records stay exact integers.
/// </summary>
public sealed record ModelPrice(
    string Currency,
    decimal Input,
    decimal Output,
    decimal CachedInput,
    decimal ExplicitCachedInput,
    decimal CacheCreationInput)
{
    /// <summary>Nano-units per token for a price per million tokens.</summary>
    private const decimal NanosPerTokenPerMillionPrice = 1_000m;

    /// <summary>The cost of a request's tokens (Anthropic semantics: input excludes cache reads and writes).</summary>
    public long CostNanos(long input, long output, long cacheRead, long cacheCreation, bool explicitCache)
    {
        var perMillion =
            Math.Max(0, input) * Input
            + Math.Max(0, output) * Output
            + Math.Max(0, cacheRead) * (explicitCache ? ExplicitCachedInput : CachedInput)
            + Math.Max(0, cacheCreation) * CacheCreationInput;
        return (long)decimal.Round(perMillion * NanosPerTokenPerMillionPrice, MidpointRounding.AwayFromZero);
    }
}
