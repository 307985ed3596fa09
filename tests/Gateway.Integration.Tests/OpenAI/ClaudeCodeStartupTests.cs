using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.OpenAI;

/// <summary><c>--claude-code true</c> on a gateway that is not on a terminal: the defaults are taken and printed.</summary>
public sealed class ClaudeCodeStartupTests
{
    [Fact]
    public async Task ClaudeCode_PrintsAClaudeCommandWithCatalogueModels()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        // Open mode (no keys on loopback): the command carries "dummy" as its token.
        await using var gateway = await GatewayTestHost.StartAsync(upstream, o => o["Gateway:claudeCode"] = "true");
        string? line = null;
        for (var i = 0; i < 100 && line is null; i++)
        {
            line = gateway.Console.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("ANTHROPIC_BASE_URL=", StringComparison.Ordinal));
            await Task.Delay(100);
        }
        Assert.True(line is not null, gateway.Console.ToString());
        Assert.Matches(
            "^ANTHROPIC_BASE_URL=http://localhost:[0-9]+ ANTHROPIC_AUTH_TOKEN=dummy ANTHROPIC_MODEL=claude-sonnet-[0-9.]+ " +
            "ANTHROPIC_DEFAULT_SONNET_MODEL=claude-sonnet-[0-9.]+ ANTHROPIC_SMALL_FAST_MODEL=[a-z0-9.-]+ ANTHROPIC_DEFAULT_HAIKU_MODEL=[a-z0-9.-]+ " +
            "DISABLE_NON_ESSENTIAL_MODEL_CALLS=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 claude\r?$",
            line);
        Assert.Contains("Run Claude Code against this gateway:", gateway.Console.ToString());
    }
}
