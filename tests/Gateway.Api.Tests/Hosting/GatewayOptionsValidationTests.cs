using Gateway.Api.Hosting;
using Gateway.Grains.Options;

namespace Gateway.Api.Tests.Hosting;

public sealed class GatewayOptionsValidationTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Empty(GatewayOptionsValidation.Validate(new GatewayOptions(), null));
    }

    [Fact]
    public void EveryProblem_IsListedAtOnce()
    {
        var options = new GatewayOptions
        {
            Mode = "cluster",
            Port = 70000,
            Upstreams = new UpstreamOptions { GithubApiUrl = "not a url", CopilotApiUrl = "ftp://x" },
            Copilot = new CopilotOptions { AccountType = "team" },
        };
        var problems = GatewayOptionsValidation.Validate(options, null);
        Assert.Equal(
        [
            "Gateway:port must be between 0 and 65535 (got 70000).",
            "Gateway:upstreams:githubApiUrl must be an absolute http(s) URL (got 'not a url').",
            "Gateway:upstreams:copilotApiUrl must be an absolute http(s) URL (got 'ftp://x').",
            "Gateway:copilot:accountType must be individual, business or enterprise (got 'team').",
            "Cluster mode needs a Postgres connection string (ConnectionStrings__Postgres).",
            "Cluster mode needs Gateway:auth:adminApiKey.",
            "Cluster mode needs Gateway:encryptionKey (base64 of 32 random bytes).",
        ], problems);
    }

    [Fact]
    public void NonLoopbackHostWithoutKeys_IsRefused()
    {
        var problems = GatewayOptionsValidation.Validate(new GatewayOptions { Host = "0.0.0.0" }, null);
        Assert.Equal(["Listening on '0.0.0.0' (not loopback) needs at least one key in Gateway:auth:apiKeys."], problems);
    }

    [Fact]
    public void NonLoopbackHostWithKeys_IsAccepted()
    {
        var options = new GatewayOptions { Host = "0.0.0.0", Auth = new AuthOptions { ApiKeys = ["k1"] } };
        Assert.Empty(GatewayOptionsValidation.Validate(options, null));
    }

    [Fact]
    public void ShortEncryptionKey_IsRefused()
    {
        var options = new GatewayOptions { EncryptionKey = Convert.ToBase64String(new byte[16]) };
        Assert.Equal(["Gateway:encryptionKey must decode to exactly 32 bytes."], GatewayOptionsValidation.Validate(options, null));
    }
}
