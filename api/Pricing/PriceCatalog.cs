using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Pricing;

/// <summary>
/// Model → prices (SPEC §15.2): the configured <c>pricing</c> entries over the built-in table. A model id is looked
/// up as sent, then in its canonical form (lower case, no date suffix, Anthropic's <c>claude-sonnet-4-5</c> spelled
/// as Copilot's <c>claude-sonnet-4.5</c>), so dated and dashed ids of one model share its price.
/// </summary>
public sealed partial class PriceCatalog
{
    private readonly FrozenDictionary<string, PriceSheet> _sheets;

    public PriceCatalog(IOptions<GatewayOptions> options)
    {
        var sheets = new Dictionary<string, PriceSheet>(StringComparer.Ordinal);
        var ignored = new List<string>();
        foreach (var (model, pricing) in BuiltInPrices.All)
        {
            sheets[model] = PriceSheet.Create(pricing, model, ignored)!;
        }
        foreach (var (model, pricing) in options.Value.Pricing)
        {
            // Invalid entries are refused at start by GatewayOptionsValidation; here they simply do not apply.
            if (PriceSheet.Create(pricing, model, ignored) is { } sheet)
            {
                sheets[model] = sheet;
                sheets.TryAdd(Canonical(model), sheet);
            }
        }
        foreach (var (provider, entry) in options.Value.Providers)
        {
            foreach (var (model, modelOptions) in entry?.Models ?? [])
            {
                // SPEC §13.4: a provider model's own pricing, keyed by its alias so it never shadows a Copilot model.
                if (modelOptions?.Pricing is { } pricing && PriceSheet.Create(pricing, model, ignored) is { } sheet)
                {
                    sheets[ProviderKey(provider, model)] = sheet;
                }
            }
        }
        _sheets = sheets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every problem of the configured <c>pricing</c> entries, each naming its field.</summary>
    public static IEnumerable<string> Validate(GatewayOptions options)
    {
        var errors = new List<string>();
        foreach (var (model, pricing) in options.Pricing)
        {
            if (pricing is null)
            {
                errors.Add($"pricing.{model} must be an object");
                continue;
            }
            PriceSheet.Create(pricing, $"pricing.{model}", errors);
        }
        return errors;
    }

    public PriceSheet? Find(string model)
        => string.IsNullOrEmpty(model) ? null
            : _sheets.TryGetValue(model, out var sheet) || _sheets.TryGetValue(Canonical(model), out sheet) ? sheet : null;

    /// <summary>
    /// A provider model's price: its <c>providers.&lt;p&gt;.models.&lt;m&gt;.pricing</c> when configured, else the
    /// model's general price. <paramref name="provider"/> null is <see cref="Find(string)"/>.
    /// </summary>
    public PriceSheet? Find(string model, string? provider)
        => provider is not null && _sheets.TryGetValue(ProviderKey(provider, model), out var sheet) ? sheet : Find(model);

    private static string ProviderKey(string provider, string model) => provider + "/" + model;

    /// <summary>The cost of a finished request, or null when the model has no price.</summary>
    public RequestCost? Cost(string model, long input, long output, long cacheRead, long cacheCreation, bool explicitCache, DateTimeOffset at)
        => Cost(model, null, input, output, cacheRead, cacheCreation, explicitCache, at);

    /// <summary>The cost of a finished request on <paramref name="provider"/> (null: Copilot), or null when the model has no price.</summary>
    public RequestCost? Cost(string model, string? provider, long input, long output, long cacheRead, long cacheCreation, bool explicitCache, DateTimeOffset at)
    {
        if (Find(model, provider) is not { } sheet)
        {
            return null;
        }
        var price = sheet.Resolve(input + cacheRead + cacheCreation, at);
        return new RequestCost(price.Currency, price.CostNanos(input, output, cacheRead, cacheCreation, explicitCache));
    }

    /// <summary>
    /// What a request may cost at most in <paramref name="currency"/>, for budget reservations (SPEC §16.2): its
    /// estimated prompt at the input price and its output allowance at the output price. 0 when the model has no
    /// price in that currency (its requests do not count against the budget).
    /// </summary>
    public long EstimateNanos(string model, string currency, long promptTokens, long maxOutputTokens, DateTimeOffset at)
    {
        if (Find(model) is not { } sheet || !string.Equals(sheet.Currency, currency, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
        return sheet.Resolve(promptTokens, at).CostNanos(promptTokens, maxOutputTokens, 0, 0, explicitCache: false);
    }

    internal static string Canonical(string model)
    {
        var id = DateSuffix().Replace(model.Trim().ToLowerInvariant(), "");
        return id.StartsWith("claude-", StringComparison.Ordinal) ? DashedVersion().Replace(id, "-$1.$2") : id;
    }

    [GeneratedRegex(@"-(\d{8}|\d{4}-\d{2}-\d{2})$")]
    private static partial Regex DateSuffix();

    [GeneratedRegex(@"-(\d)-(\d)(?=$|-)")]
    private static partial Regex DashedVersion();
}
