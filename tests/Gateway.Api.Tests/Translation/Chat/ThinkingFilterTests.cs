using System.Text.Json.Nodes;
using Gateway.Api.Translation.Chat;

namespace Gateway.Api.Tests.Translation.Chat;

public sealed class ThinkingFilterTests
{
    [Theory]
    [InlineData("""{"type":"thinking","thinking":"Plan","signature":"abc"}""", true)]
    [InlineData("""{"type":"thinking","thinking":"","signature":"abc"}""", false)]
    [InlineData("""{"type":"thinking","thinking":"Thinking...","signature":"abc"}""", false)]
    [InlineData("""{"type":"thinking","thinking":"Plan"}""", false)]
    [InlineData("""{"type":"thinking","thinking":"Plan","signature":""}""", false)]
    [InlineData("""{"type":"thinking","thinking":"Plan","signature":"enc@rs_1"}""", false)]
    public void IsValid_FollowsSpecRules(string block, bool expected)
    {
        Assert.Equal(expected, ThinkingFilter.IsValid(JsonNode.Parse(block)!.AsObject()));
    }
}
