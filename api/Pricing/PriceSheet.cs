using Gateway.Grains.Options;

namespace Gateway.Api.Pricing;

/// <summary>
/// One model's <see cref="ModelPricingOptions"/>, checked and compiled once: <see cref="Resolve"/> picks the tier by
/// the request's whole input, then applies an off-peak window that contains the request's time (SPEC §15.2).
/// </summary>
public sealed class PriceSheet
{
    private readonly ModelPrice _base;
    private readonly (long MaxInputTokens, PriceOptions Prices)[] _tiers;
    private readonly OffPeakWindow[] _offPeak;

    private PriceSheet(ModelPrice basePrice, (long, PriceOptions)[] tiers, OffPeakWindow[] offPeak)
    {
        _base = basePrice;
        _tiers = tiers;
        _offPeak = offPeak;
    }

    public string Currency => _base.Currency;

    /// <summary>Compiles <paramref name="options"/>; null with every problem in <paramref name="errors"/> (named under <paramref name="path"/>).</summary>
    public static PriceSheet? Create(ModelPricingOptions options, string path, List<string> errors)
    {
        var before = errors.Count;
        var currency = (options.Currency ?? "").Trim();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            errors.Add($"{path}.currency must be a three-letter currency code");
        }
        CheckPrices(options, path, errors);
        var tiers = new List<(long, PriceOptions)>();
        for (var i = 0; i < options.Tiers.Count; i++)
        {
            var tier = options.Tiers[i];
            var tierPath = $"{path}.tiers[{i}]";
            if (tier.MaxInputTokens is not > 0)
            {
                errors.Add($"{tierPath}.maxInputTokens must be a positive number of tokens");
            }
            CheckPrices(tier, tierPath, errors);
            tiers.Add((tier.MaxInputTokens ?? 0, tier));
        }
        var windows = new List<OffPeakWindow>();
        for (var i = 0; i < options.OffPeak.Count; i++)
        {
            var window = options.OffPeak[i];
            var windowPath = $"{path}.offPeak[{i}]";
            var start = ParseTime(window.Start, $"{windowPath}.start", errors);
            var end = ParseTime(window.End, $"{windowPath}.end", errors);
            TimeZoneInfo zone = TimeZoneInfo.Utc;
            if (!string.IsNullOrWhiteSpace(window.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(window.TimeZone, out zone!))
            {
                errors.Add($"{windowPath}.timeZone '{window.TimeZone}' is not a known time zone");
                zone = TimeZoneInfo.Utc;
            }
            CheckPrices(window, windowPath, errors);
            if (start is { } s && end is { } e)
            {
                windows.Add(new OffPeakWindow(s, e, zone, window));
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        var input = options.Input ?? 0;
        var cached = options.CachedInput ?? input;
        var basePrice = new ModelPrice(
            currency.ToUpperInvariant(), input, options.Output ?? 0, cached, options.ExplicitCachedInput ?? cached,
            options.CacheCreationInput ?? input);
        return new PriceSheet(basePrice, [.. tiers], [.. windows]);
    }

    /// <param name="wholeInput">Fresh input + cache reads + cache writes: the prompt size that picks the tier.</param>
    public ModelPrice Resolve(long wholeInput, DateTimeOffset at)
    {
        var price = _base;
        foreach (var (max, prices) in _tiers)
        {
            if (max >= wholeInput)
            {
                price = Apply(price, prices);
                break;
            }
        }
        foreach (var window in _offPeak)
        {
            if (window.Contains(at))
            {
                price = Apply(price, window.Prices);
                break;
            }
        }
        return price;
    }

    /// <summary>Fields set in <paramref name="prices"/> replace those of <paramref name="price"/>; unset ones keep it.</summary>
    private static ModelPrice Apply(ModelPrice price, PriceOptions prices) => price with
    {
        Input = prices.Input ?? price.Input,
        Output = prices.Output ?? price.Output,
        CachedInput = prices.CachedInput ?? price.CachedInput,
        ExplicitCachedInput = prices.ExplicitCachedInput ?? prices.CachedInput ?? price.ExplicitCachedInput,
        CacheCreationInput = prices.CacheCreationInput ?? price.CacheCreationInput,
    };

    private static void CheckPrices(PriceOptions prices, string path, List<string> errors)
    {
        Check(prices.Input, "input");
        Check(prices.Output, "output");
        Check(prices.CachedInput, "cachedInput");
        Check(prices.ExplicitCachedInput, "explicitCachedInput");
        Check(prices.CacheCreationInput, "cacheCreationInput");

        void Check(decimal? value, string name)
        {
            if (value is < 0)
            {
                errors.Add($"{path}.{name} must not be negative");
            }
        }
    }

    private static TimeOnly? ParseTime(string? value, string path, List<string> errors)
    {
        if (TimeOnly.TryParseExact(value, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time))
        {
            return time;
        }
        errors.Add($"{path} must be a time of day as HH:mm");
        return null;
    }

    private sealed record OffPeakWindow(TimeOnly Start, TimeOnly End, TimeZoneInfo Zone, PriceOptions Prices)
    {
        public bool Contains(DateTimeOffset at)
        {
            var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);
            return Start <= End ? local >= Start && local < End : local >= Start || local < End;
        }
    }
}
