using System.Net;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.OpenAI;

/// <summary>Standalone keeps its state in the data dir's SQLite file: a restart loses nothing (DESIGN §1).</summary>
public sealed class StandaloneRestartTests
{
    [Fact]
    public async Task AccountAndCopilotToken_SurviveARestart()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("gw-restart-").FullName;
        try
        {
            await using (var first = await GatewayTestHost.StartAsync(upstream, dataDir: dataDir))
            {
                using var response = await first.Client.GetAsync("v1/models");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            var exchanges = upstream.State.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken);
            Assert.Equal(1, exchanges);
            Assert.True(File.Exists(Path.Combine(dataDir, "gateway.db")));

            // No GitHub token this time: the account, its encrypted tokens and ids come from SQLite.
            await using var second = await GatewayTestHost.StartAsync(upstream, dataDir: dataDir, withAccount: false);
            await second.WaitForModelsAsync();
            using var chat = await second.Client.PostAsync("v1/chat/completions",
                new StringContent("""{"model":"gpt-4.1","messages":[{"role":"user","content":"after restart"}]}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            Assert.Equal(1, upstream.State.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken));
            var before = upstream.RequestsTo("/chat/completions").Single(r => r.BodyText.Contains("after restart"));
            Assert.Matches("^[0-9a-f]{64}$", before.Header("vscode-machineid")!);

            // The GitHub token is stored encrypted: it never appears in the database file in clear text.
            var bytes = await File.ReadAllBytesAsync(Path.Combine(dataDir, "gateway.db"));
            Assert.DoesNotContain(FakeUpstreamState.DefaultGitHubToken, System.Text.Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
