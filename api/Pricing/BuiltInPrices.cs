using Gateway.Grains.Options;

namespace Gateway.Api.Pricing;

/// <summary>
/// The built-in price table (SPEC §15.2, "else the built-in price table"): public list prices in USD per million
/// tokens of the models Copilot serves, as published by their vendors (late 2025). Copilot itself bills by plan, so a
/// Copilot request's cost is what the same tokens would cost at the vendor's API: an estimate for budgets and reports.
/// Models missing here cost nothing until an admin prices them with <c>pricing</c>.
/// </summary>
internal static class BuiltInPrices
{
    public static IReadOnlyDictionary<string, ModelPricingOptions> All { get; } = Build();

    private static Dictionary<string, ModelPricingOptions> Build()
    {
        var table = new Dictionary<string, ModelPricingOptions>(StringComparer.Ordinal);

        // Anthropic: cache reads at 10% of input, 5-minute cache writes at 125%.
        Claude(["claude-opus-4.5"], 5m, 25m);
        Claude(["claude-opus-4", "claude-opus-4.1"], 15m, 75m);
        // Sonnet 4 and 4.5 charge more once the prompt passes 200k tokens.
        Claude(["claude-sonnet-4", "claude-sonnet-4.5"], 3m, 15m, longContext: (6m, 22.5m));
        Claude(["claude-3.5-sonnet", "claude-3.7-sonnet", "claude-3.7-sonnet-thought"], 3m, 15m);
        Claude(["claude-haiku-4.5"], 1m, 5m);
        Claude(["claude-3.5-haiku"], 0.8m, 4m);

        // OpenAI: cached input as listed per model, no cache-write charge.
        OpenAI(["gpt-5", "gpt-5.1", "gpt-5-codex", "gpt-5.1-codex", "gpt-5.1-codex-max"], 1.25m, 10m, 0.125m);
        OpenAI(["gpt-5.2", "gpt-5.2-codex"], 1.75m, 14m, 0.175m);
        OpenAI(["gpt-5-mini", "gpt-5.1-codex-mini"], 0.25m, 2m, 0.025m);
        OpenAI(["gpt-5-nano"], 0.05m, 0.4m, 0.005m);
        OpenAI(["gpt-4.1"], 2m, 8m, 0.5m);
        OpenAI(["gpt-4.1-mini"], 0.4m, 1.6m, 0.1m);
        OpenAI(["gpt-4.1-nano"], 0.1m, 0.4m, 0.025m);
        OpenAI(["gpt-4o"], 2.5m, 10m, 1.25m);
        OpenAI(["gpt-4o-mini"], 0.15m, 0.6m, 0.075m);
        OpenAI(["o3"], 2m, 8m, 0.5m);
        OpenAI(["o3-mini", "o4-mini"], 1.1m, 4.4m, 0.275m);
        OpenAI(["text-embedding-3-small"], 0.02m, 0m, 0.02m);
        OpenAI(["text-embedding-3-large"], 0.13m, 0m, 0.13m);
        OpenAI(["text-embedding-ada-002"], 0.1m, 0m, 0.1m);

        // Google: prompts above 200k tokens cost more.
        Tiered(["gemini-2.5-pro"], (1.25m, 10m, 0.125m), (2.5m, 15m, 0.25m));
        Tiered(["gemini-3-pro-preview", "gemini-3-pro"], (2m, 12m, 0.2m), (4m, 18m, 0.4m));
        OpenAI(["gemini-2.5-flash"], 0.3m, 2.5m, 0.03m);

        // xAI.
        OpenAI(["grok-code-fast-1"], 0.2m, 1.5m, 0.02m);
        return table;

        void Claude(string[] models, decimal input, decimal output, (decimal Input, decimal Output)? longContext = null)
        {
            foreach (var model in models)
            {
                var pricing = new ModelPricingOptions
                {
                    Input = input, Output = output, CachedInput = input / 10, CacheCreationInput = input * 1.25m,
                };
                if (longContext is { } wide)
                {
                    pricing.Tiers.Add(new PricingTierOptions { MaxInputTokens = 200_000 });
                    pricing.Tiers.Add(new PricingTierOptions
                    {
                        MaxInputTokens = long.MaxValue, Input = wide.Input, Output = wide.Output, CachedInput = wide.Input / 10,
                        CacheCreationInput = wide.Input * 1.25m,
                    });
                }
                table[model] = pricing;
            }
        }

        void OpenAI(string[] models, decimal input, decimal output, decimal cached)
        {
            foreach (var model in models)
            {
                table[model] = new ModelPricingOptions { Input = input, Output = output, CachedInput = cached, CacheCreationInput = input };
            }
        }

        void Tiered(string[] models, (decimal Input, decimal Output, decimal Cached) small, (decimal Input, decimal Output, decimal Cached) large)
        {
            foreach (var model in models)
            {
                var pricing = new ModelPricingOptions { Input = small.Input, Output = small.Output, CachedInput = small.Cached, CacheCreationInput = small.Input };
                pricing.Tiers.Add(new PricingTierOptions { MaxInputTokens = 200_000 });
                pricing.Tiers.Add(new PricingTierOptions
                {
                    MaxInputTokens = long.MaxValue, Input = large.Input, Output = large.Output, CachedInput = large.Cached,
                    CacheCreationInput = large.Input,
                });
                table[model] = pricing;
            }
        }
    }
}
