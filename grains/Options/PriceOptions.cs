namespace Gateway.Grains.Options;

/// <summary>
/// Prices per million tokens (SPEC §15.2). An unset field falls back: <c>explicitCachedInput</c> to
/// <c>cachedInput</c>, <c>cachedInput</c> and <c>cacheCreationInput</c> to <c>input</c>.
/// </summary>
public class PriceOptions
{
    public decimal? Input { get; set; }

    public decimal? Output { get; set; }

    /// <summary>Cache reads the upstream made by itself (automatic prompt caching).</summary>
    public decimal? CachedInput { get; set; }

    /// <summary>Cache reads of explicit <c>cache_control</c> breakpoints.</summary>
    public decimal? ExplicitCachedInput { get; set; }

    public decimal? CacheCreationInput { get; set; }
}
