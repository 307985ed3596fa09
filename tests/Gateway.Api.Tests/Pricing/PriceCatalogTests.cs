using Gateway.Api.Pricing;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Tests.Pricing;

/// <summary>Cost per request from model prices (SPEC §15.2): built-in table, configured pricing, tiers, off-peak.</summary>
public sealed class PriceCatalogTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static PriceCatalog Catalog(Dictionary<string, ModelPricingOptions>? pricing = null)
        => new(Options.Create(new GatewayOptions { Pricing = pricing ?? [] }));

    [Fact]
    public void BuiltIn_ClaudeSonnet_PricesEveryTokenKind()
    {
        // 1000 × 3 + 500 × 15 + 2000 × 0.30 + 100 × 3.75 = 11,475 per million = 0.011475 USD.
        var cost = Catalog().Cost("claude-sonnet-4.5", input: 1000, output: 500, cacheRead: 2000, cacheCreation: 100, explicitCache: false, Noon);
        Assert.Equal(new RequestCost("USD", 11_475_000), cost);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929")]
    [InlineData("claude-sonnet-4-5")]
    [InlineData("Claude-Sonnet-4.5")]
    [InlineData("claude-sonnet-4.5")]
    public void BuiltIn_DatedAndDashedIds_ShareThePrice(string model)
        => Assert.Equal(new RequestCost("USD", 3_000_000), Catalog().Cost(model, 1000, 0, 0, 0, false, Noon));

    [Fact]
    public void BuiltIn_LongPrompt_UsesTheSecondTier()
    {
        // Whole input 150k + 60k cache reads = 210k > 200k: 6 / 22.5 / 0.6 per million.
        var cost = Catalog().Cost("claude-sonnet-4.5", input: 150_000, output: 1000, cacheRead: 60_000, cacheCreation: 0, explicitCache: false, Noon);
        Assert.Equal(new RequestCost("USD", 958_500_000), cost);
    }

    [Fact]
    public void BuiltIn_OpenAIModel_CachedInputAtItsOwnPrice()
        => Assert.Equal(new RequestCost("USD", 2_000_000 + 8_000_000 + 500_000),
            Catalog().Cost("gpt-4.1", input: 1000, output: 1000, cacheRead: 1000, cacheCreation: 0, explicitCache: false, Noon));

    [Fact]
    public void UnknownModel_HasNoCostAndNoEstimate()
    {
        var catalog = Catalog();
        Assert.Null(catalog.Cost("gpt-6-luna", 1000, 1000, 0, 0, false, Noon));
        Assert.Equal(0, catalog.EstimateNanos("gpt-6-luna", "USD", 1000, 1000, Noon));
    }

    [Fact]
    public void Configured_OverridesBuiltInAndPricesNewModels()
    {
        var catalog = Catalog(new()
        {
            ["gpt-4.1"] = new ModelPricingOptions { Input = 1, Output = 1 },
            ["gpt-6-luna"] = new ModelPricingOptions { Currency = "eur", Input = 10, Output = 20 },
        });
        Assert.Equal(new RequestCost("USD", 2_000_000), catalog.Cost("gpt-4.1", 1000, 1000, 0, 0, false, Noon));
        Assert.Equal(new RequestCost("EUR", 30_000_000), catalog.Cost("gpt-6-luna", 1000, 1000, 0, 0, false, Noon));
    }

    [Fact]
    public void ExplicitCacheReads_UseExplicitCachedInput_OtherwiseCachedInput()
    {
        var catalog = Catalog(new() { ["m"] = new ModelPricingOptions { Input = 1, CachedInput = 0.1m, ExplicitCachedInput = 0.3m } });
        Assert.Equal(100_000, catalog.Cost("m", 0, 0, 1000, 0, explicitCache: false, Noon)!.Value.Nanos);
        Assert.Equal(300_000, catalog.Cost("m", 0, 0, 1000, 0, explicitCache: true, Noon)!.Value.Nanos);
    }

    [Fact]
    public void UnsetCachePrices_FallBackToInput()
    {
        var catalog = Catalog(new() { ["m"] = new ModelPricingOptions { Input = 2, Output = 4 } });
        // Cache reads and writes at the input price when no cache prices are given.
        Assert.Equal(2_000_000 + 2_000_000 + 2_000_000, catalog.Cost("m", 1000, 0, 1000, 1000, explicitCache: true, Noon)!.Value.Nanos);
    }

    [Theory]
    [InlineData(20, 0, 1_000_000 + 4_000_000)] // inside the window
    [InlineData(0, 15, 1_000_000 + 4_000_000)] // after midnight, still inside a window that wraps
    [InlineData(1, 0, 2_000_000 + 8_000_000)]  // outside
    [InlineData(16, 29, 2_000_000 + 8_000_000)]
    public void OffPeakWindow_AppliesItsPricesByTimeOfDay(int hour, int minute, long expectedNanos)
    {
        var catalog = Catalog(new()
        {
            ["deepseek-chat"] = new ModelPricingOptions
            {
                Currency = "CNY", Input = 2, Output = 8,
                OffPeak = [new OffPeakPricingOptions { Start = "16:30", End = "00:30", Input = 1, Output = 4 }],
            },
        });
        var at = new DateTimeOffset(2026, 11, 24, hour, minute, 0, TimeSpan.Zero);
        Assert.Equal(new RequestCost("CNY", expectedNanos), catalog.Cost("deepseek-chat", 1000, 1000, 0, 0, false, at));
    }

    [Fact]
    public void OffPeakWindow_InItsOwnTimeZone()
    {
        var catalog = Catalog(new()
        {
            ["m"] = new ModelPricingOptions
            {
                Input = 2,
                OffPeak = [new OffPeakPricingOptions { Start = "00:00", End = "08:00", TimeZone = "Asia/Shanghai", Input = 1 }],
            },
        });
        // 20:00 UTC is 04:00 in Shanghai (UTC+8): off-peak.
        Assert.Equal(1_000_000, catalog.Cost("m", 1000, 0, 0, 0, false, new DateTimeOffset(2026, 11, 24, 20, 0, 0, TimeSpan.Zero))!.Value.Nanos);
        Assert.Equal(2_000_000, catalog.Cost("m", 1000, 0, 0, 0, false, Noon)!.Value.Nanos);
    }

    [Fact]
    public void Tiers_FirstTierThatHoldsTheInput_UnsetFieldsKeepTheBase()
    {
        var catalog = Catalog(new()
        {
            ["m"] = new ModelPricingOptions
            {
                Input = 1, Output = 10,
                Tiers = [new PricingTierOptions { MaxInputTokens = 1000, Input = 0.5m }, new PricingTierOptions { MaxInputTokens = 5000, Input = 3 }],
            },
        });
        Assert.Equal(500 * 500 + 1000 * 10_000, catalog.Cost("m", 500, 1000, 0, 0, false, Noon)!.Value.Nanos);
        Assert.Equal(2000 * 3000 + 1000 * 10_000, catalog.Cost("m", 2000, 1000, 0, 0, false, Noon)!.Value.Nanos);
        // Above every tier: the base prices.
        Assert.Equal(9000 * 1000 + 1000 * 10_000, catalog.Cost("m", 9000, 1000, 0, 0, false, Noon)!.Value.Nanos);
    }

    [Fact]
    public void Estimate_OnlyInTheBudgetCurrency()
    {
        var catalog = Catalog();
        // gpt-4.1: 1000 prompt × 2 + 4096 output × 8 per million.
        Assert.Equal(2_000_000 + 32_768_000, catalog.EstimateNanos("gpt-4.1", "USD", 1000, 4096, Noon));
        Assert.Equal(2_000_000 + 32_768_000, catalog.EstimateNanos("gpt-4.1", "usd", 1000, 4096, Noon));
        Assert.Equal(0, catalog.EstimateNanos("gpt-4.1", "EUR", 1000, 4096, Noon));
    }

    [Fact]
    public void Validate_NamesEveryBadField()
    {
        var options = new GatewayOptions
        {
            Pricing = new()
            {
                ["m"] = new ModelPricingOptions
                {
                    Currency = "dollars", Input = -1,
                    Tiers = [new PricingTierOptions { Output = -2 }],
                    OffPeak = [new OffPeakPricingOptions { Start = "25:00", End = "08:00", TimeZone = "Mars/Olympus" }],
                },
            },
        };
        Assert.Equal(
            [
                "pricing.m.currency must be a three-letter currency code",
                "pricing.m.input must not be negative",
                "pricing.m.tiers[0].maxInputTokens must be a positive number of tokens",
                "pricing.m.tiers[0].output must not be negative",
                "pricing.m.offPeak[0].start must be a time of day as HH:mm",
                "pricing.m.offPeak[0].timeZone 'Mars/Olympus' is not a known time zone",
            ],
            PriceCatalog.Validate(options));
        Assert.Empty(PriceCatalog.Validate(new GatewayOptions { Pricing = new() { ["ok"] = new ModelPricingOptions { Input = 1 } } }));
    }

    /// <summary>The README's <c>config.json</c> example binds through the standalone config file loader.</summary>
    [Fact]
    public void ConfigJson_ReadmeExample_Binds()
    {
        var dir = Directory.CreateTempSubdirectory("gw-pricing-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), """
                {
                  "pricing": {
                    "gpt-6-luna": { "currency": "USD", "input": 1.25, "output": 10, "cachedInput": 0.125 },
                    "claude-sonnet-4.5": {
                      "input": 3, "output": 15, "cachedInput": 0.3, "explicitCachedInput": 0.3, "cacheCreationInput": 3.75,
                      "tiers": [ { "maxInputTokens": 200000 }, { "maxInputTokens": 1000000, "input": 6, "output": 22.5 } ]
                    },
                    "deepseek-chat": {
                      "currency": "CNY", "input": 2, "output": 8,
                      "offPeak": [ { "start": "16:30", "end": "00:30", "timeZone": "UTC", "input": 1, "output": 4 } ]
                    }
                  }
                }
                """);
            var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
                .Add(new Gateway.Api.Hosting.PrefixedJsonFileConfigurationSource
                {
                    Path = "config.json", Optional = false, FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(dir),
                })
                .Build();
            var options = new GatewayOptions();
            Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection(GatewayOptions.SectionName), options);

            Assert.Empty(PriceCatalog.Validate(options));
            var catalog = new PriceCatalog(Options.Create(options));
            Assert.Equal(new RequestCost("USD", 11_250_000), catalog.Cost("gpt-6-luna", 1000, 1000, 0, 0, false, Noon));
            // 250k tokens of prompt: the second tier, 250,000 × 6 + 1000 × 22.5 per million.
            Assert.Equal(new RequestCost("USD", 1_522_500_000), catalog.Cost("claude-sonnet-4.5", 250_000, 1000, 0, 0, false, Noon));
            Assert.Equal(new RequestCost("CNY", 5_000_000), catalog.Cost("deepseek-chat", 1000, 1000, 0, 0, false, new DateTimeOffset(2026, 11, 24, 18, 0, 0, TimeSpan.Zero)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
