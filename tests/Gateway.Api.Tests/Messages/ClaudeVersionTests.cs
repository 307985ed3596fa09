using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class ClaudeVersionTests
{
    [Theory]
    [InlineData("claude-opus-4.7", 4, 7)]
    [InlineData("claude-opus-4-7", 4, 7)]
    [InlineData("claude-opus-4-7-20260101", 4, 7)]
    [InlineData("claude-sonnet-4-20250514", 4, 0)]
    [InlineData("claude-3-5-sonnet-20241022", 3, 5)]
    [InlineData("claude-3.7-sonnet", 3, 7)]
    [InlineData("claude-sonnet-4", 4, 0)]
    public void Parse_ReadsMajorMinor(string id, int major, int minor)
        => Assert.Equal((major, minor), ClaudeVersion.Parse(id));

    [Theory]
    [InlineData("gpt-5.4")]
    [InlineData("claude-instant")]
    public void Parse_NoVersion_Null(string id) => Assert.Null(ClaudeVersion.Parse(id));

    [Theory]
    [InlineData("claude-opus-4.7", true)]
    [InlineData("claude-opus-5", true)]
    [InlineData("claude-opus-4.6", false)]
    [InlineData("claude-3-7-sonnet", false)]
    public void AtLeast47(string id, bool expected) => Assert.Equal(expected, ClaudeVersion.AtLeast(id, 4, 7));
}
