using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class ModelResolverTests
{
    private static readonly HashSet<string> _catalogue =
    [
        "claude-sonnet-4.5", "claude-opus-4-1", "gpt-5.4", "gpt-4o-2024-11-20", "claude-haiku-4.5",
    ];

    [Theory]
    [InlineData("claude-sonnet-4.5", "claude-sonnet-4.5")]
    [InlineData("claude-sonnet-4.5[1m]", "claude-sonnet-4.5")]
    [InlineData("claude-sonnet-4.5[1M]", "claude-sonnet-4.5")]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4.5")]
    [InlineData("claude-opus-4.1", "claude-opus-4-1")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4.5")]
    [InlineData("claude-haiku-4-5-20251001[1m]", "claude-haiku-4.5")]
    [InlineData("gpt-4o-2024-11-20", "gpt-4o-2024-11-20")]
    [InlineData("unknown-model-1-2", "unknown-model-1-2")]
    [InlineData("claude-sonnet-4.5-2025", "claude-sonnet-4.5-2025")]
    public void Resolve_AppliesSpecFallbacks_ReturnsCatalogueId(string requested, string expected)
        => Assert.Equal(expected, ModelResolver.Resolve(requested, _catalogue));

    [Fact]
    public void Resolve_ExactMatchIsCaseSensitive_UnresolvedIdKeptAsGiven()
        => Assert.Equal("Claude-Sonnet-4.5", ModelResolver.Resolve("Claude-Sonnet-4.5", _catalogue));

    [Fact]
    public void ModelMappings_ExactMatch_RewritesToTarget()
    {
        var mappings = new Dictionary<string, string>(ModelMappings.Defaults) { ["fast"] = "gpt-5.4" };
        Assert.Equal("gpt-5.4", ModelMappings.Apply("fast", mappings));
        Assert.Equal("codex/gpt-reserve", ModelMappings.Apply("gpt-reserve", mappings));
        Assert.Equal("codex/codex-auto-review", ModelMappings.Apply("codex-auto-review", mappings));
        Assert.Equal("Fast", ModelMappings.Apply("Fast", mappings));
    }

    [Theory]
    [InlineData("openrouter/anthropic/claude-3", "openrouter", "anthropic/claude-3")]
    [InlineData("codex/gpt-reserve", "codex", "gpt-reserve")]
    public void ProviderAlias_PrefixBeforeFirstSlash_IsProvider(string model, string provider, string providerModel)
    {
        Assert.True(ProviderAlias.TryParse(model, out var p, out var m));
        Assert.Equal(provider, p);
        Assert.Equal(providerModel, m);
    }

    [Theory]
    [InlineData("/gpt-5")]
    [InlineData("codex/")]
    [InlineData("gpt-5")]
    public void ProviderAlias_SlashFirstLastOrAbsent_IsNoAlias(string model)
    {
        Assert.False(ProviderAlias.TryParse(model, out var p, out var m));
        Assert.Null(p);
        Assert.Null(m);
    }
}
