using Gateway.Api.Messages;
using Gateway.Api.Catalog;
using Gateway.Api.Translation.Responses;

namespace Gateway.Api.Tests.Translation.Responses;

public sealed class ReasoningEffortTests
{
    private static readonly IReadOnlyDictionary<string, string> s_configured = new Dictionary<string, string> { ["gpt-5-mini"] = "low" };

    [Theory]
    [InlineData("medium", "gpt-5-mini", "medium")]
    [InlineData(null, "gpt-5-mini", "low")]
    [InlineData("", "gpt-5-mini", "low")]
    [InlineData(null, "gpt-5.3-codex", "xhigh")]
    [InlineData(null, "gpt-6", "xhigh")]
    [InlineData(null, "gpt-5.2", "high")]
    [InlineData(null, "claude-opus-4.5", "high")]
    public void Resolve_FollowsRequestThenConfigurationThenBuiltInDefault(string? requested, string model, string expected)
    {
        Assert.Equal(expected, ReasoningEffortResolver.Resolve(requested, model, s_configured));
    }

    [Theory]
    [InlineData("xhigh", "high")]
    [InlineData("medium", "medium")]
    public void Clamp_UnlistedValueBecomesLastListed(string effort, string expected)
    {
        var model = new ModelInfo { Id = "m", ReasoningEfforts = ["low", "medium", "high"] };

        Assert.Equal(expected, ReasoningEffortResolver.ClampToModel(effort, model));
    }

    [Fact]
    public void Clamp_UnknownModelOrEmptyList_KeepsValue()
    {
        Assert.Equal("xhigh", ReasoningEffortResolver.ClampToModel("xhigh", null));
        Assert.Equal("xhigh", ReasoningEffortResolver.ClampToModel("xhigh", new ModelInfo { Id = "m" }));
    }

    [Theory]
    [InlineData("none", "low")]
    [InlineData("minimal", "low")]
    [InlineData("xhigh", "max")]
    [InlineData("high", "high")]
    public void ForMessages_MapsToAnthropicScale(string requested, string expected)
    {
        Assert.Equal(expected, ReasoningEffortResolver.ForNativeMessages(requested, "claude-opus-4.5", null, s_configured));
    }

    [Fact]
    public void ForMessages_ClampsAfterMapping()
    {
        var model = new ModelInfo { Id = "claude-opus-4.5", ReasoningEfforts = ["low", "medium", "high"] };

        Assert.Equal("high", ReasoningEffortResolver.ForNativeMessages(null, "gpt-5.4", model, s_configured));
    }
}
