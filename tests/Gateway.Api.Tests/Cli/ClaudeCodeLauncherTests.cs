using Gateway.Api.Catalog;
using Gateway.Api.Cli;

namespace Gateway.Api.Tests.Cli;

/// <summary><c>--claude-code</c> (SPEC §1.5): model defaults, the prompt, and the printed command.</summary>
public sealed class ClaudeCodeLauncherTests
{
    private static readonly ModelInfo[] Models =
    [
        new() { Id = "gpt-4.1", Type = "chat" },
        new() { Id = "claude-haiku-4.5", Type = "chat" },
        new() { Id = "claude-sonnet-4", Type = "chat" },
        new() { Id = "claude-sonnet-4.5", Type = "chat" },
        new() { Id = "text-embedding-3-small", Type = "embeddings" },
    ];

    [Fact]
    public void Command_HasTheSpecEnvironmentInOrder()
        => Assert.Equal(
            "ANTHROPIC_BASE_URL=http://localhost:4141 ANTHROPIC_AUTH_TOKEN=dummy ANTHROPIC_MODEL=claude-sonnet-4.5 " +
            "ANTHROPIC_DEFAULT_SONNET_MODEL=claude-sonnet-4.5 ANTHROPIC_SMALL_FAST_MODEL=gpt-5-mini " +
            "ANTHROPIC_DEFAULT_HAIKU_MODEL=gpt-5-mini DISABLE_NON_ESSENTIAL_MODEL_CALLS=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 claude",
            ClaudeCodeLauncher.Command("http://localhost:4141", "dummy", "claude-sonnet-4.5", "gpt-5-mini"));

    [Fact]
    public void Command_QuotesValuesTheShellWouldSplit()
        => Assert.StartsWith("ANTHROPIC_BASE_URL=http://localhost:4141 ANTHROPIC_AUTH_TOKEN='it'\\''s a key' ",
            ClaudeCodeLauncher.Command("http://localhost:4141", "it's a key", "m", "s"));

    [Fact]
    public void Defaults_NewestSonnet_ConfiguredSmallModelWhenServed_ElseHaiku()
    {
        Assert.Equal(("claude-sonnet-4.5", "gpt-4.1"), ClaudeCodeLauncher.Defaults(Models, "gpt-4.1"));
        Assert.Equal(("claude-sonnet-4.5", "claude-haiku-4.5"), ClaudeCodeLauncher.Defaults(Models, "gpt-6-luna"));
        Assert.Equal(("gpt-4.1", "gpt-4.1"), ClaudeCodeLauncher.Defaults([Models[0]], "gpt-6-luna"));
    }

    [Theory]
    [InlineData("", "claude-sonnet-4.5")]
    [InlineData("1", "gpt-4.1")]
    [InlineData("claude-haiku-4.5", "claude-haiku-4.5")]
    [InlineData("99", "claude-sonnet-4.5")]
    [InlineData("no-such-model", "claude-sonnet-4.5")]
    public void Ask_ByNumberOrId_ElseTheDefault(string answer, string expected)
    {
        var output = new StringWriter();
        Assert.Equal(expected, ClaudeCodeLauncher.Ask(new StringReader(answer + "\n"), output, "Main", Models, "claude-sonnet-4.5"));
        Assert.Equal("Main model [claude-sonnet-4.5]: ", output.ToString());
    }
}
