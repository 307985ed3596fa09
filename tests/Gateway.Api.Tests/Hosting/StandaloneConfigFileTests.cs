using System.Text.Json.Nodes;
using Gateway.Api.Hosting;

namespace Gateway.Api.Tests.Hosting;

public sealed class StandaloneConfigFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gw-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ConfigPath => Path.Combine(_dir, "config.json");

    [Fact]
    public void MissingFile_IsCreatedOwnerOnlyWithDefaultsAndAdminKey()
    {
        var result = StandaloneConfigFile.Prepare(_dir);
        Assert.True(File.Exists(ConfigPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        }
        var root = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        Assert.Equal(result.GeneratedAdminKey, (string?)root["auth"]!["adminApiKey"]);
        Assert.Equal(64, result.GeneratedAdminKey!.Length);
        Assert.Equal("codex/gpt-reserve", (string?)root["modelMappings"]!["gpt-reserve"]);
        Assert.Equal("low", (string?)root["modelReasoningEfforts"]!["gpt-5-mini"]);
    }

    [Fact]
    public void SecondPrepare_GeneratesNoNewAdminKey()
    {
        var first = StandaloneConfigFile.Prepare(_dir);
        var second = StandaloneConfigFile.Prepare(_dir);
        Assert.NotNull(first.GeneratedAdminKey);
        Assert.Null(second.GeneratedAdminKey);
    }

    [Fact]
    public void UserEntries_AreKeptAndMissingDefaultsMerged()
    {
        File.WriteAllText(ConfigPath, """{"modelMappings":{"gpt-reserve":"gpt-4.1","mine":"x"},"auth":{"adminApiKey":"a"},"port":5000,"bogus":1}""");
        var result = StandaloneConfigFile.Prepare(_dir);
        var root = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        Assert.Equal("gpt-4.1", (string?)root["modelMappings"]!["gpt-reserve"]);
        Assert.Equal("x", (string?)root["modelMappings"]!["mine"]);
        Assert.Equal("codex/codex-auto-review", (string?)root["modelMappings"]!["codex-auto-review"]);
        Assert.Equal(5000, (int?)root["port"]);
        Assert.Null(result.GeneratedAdminKey);
        Assert.Equal(["bogus"], result.UnknownFields);
    }

    [Fact]
    public void EmptyFile_IsRewrittenWithDefaults()
    {
        File.WriteAllText(ConfigPath, "  ");
        StandaloneConfigFile.Prepare(_dir);
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(ConfigPath))!["modelMappings"]);
    }

    [Fact]
    public void InvalidJson_IsRefusedNamingFileLineAndPosition()
    {
        File.WriteAllText(ConfigPath, "{\n  \"port\": 1,\n  oops\n}");
        var ex = Assert.Throws<ConfigFileException>(() => StandaloneConfigFile.Prepare(_dir));
        Assert.StartsWith($"{ConfigPath}: invalid JSON at line 3, position 3:", ex.Message);
    }
}
