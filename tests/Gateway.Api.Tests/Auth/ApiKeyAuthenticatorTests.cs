using Gateway.Api.Auth;
using Gateway.Grains.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Tests.Auth;

public sealed class ApiKeyAuthenticatorTests
{
    private static ApiKeyAuthenticator Create(string[] keys, string? host = null, string mode = "standalone", string? admin = null)
        => new(Options.Create(new GatewayOptions { Mode = mode, Host = host, Auth = new AuthOptions { ApiKeys = [.. keys], AdminApiKey = admin } }));

    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }
        return context.Request;
    }

    [Fact]
    public void XApiKey_WinsOverBearer()
    {
        var auth = Create(["k1"]);
        Assert.NotNull(auth.Authenticate(Request(("x-api-key", "k1"), ("Authorization", "Bearer wrong"))));
        Assert.Null(auth.Authenticate(Request(("x-api-key", "wrong"), ("Authorization", "Bearer k1"))));
    }

    [Fact]
    public void BlankXApiKey_FallsBackToBearer()
    {
        var auth = Create(["k1"]);
        Assert.Equal("default", auth.Authenticate(Request(("x-api-key", "  "), ("Authorization", "Bearer k1")))!.TenantId);
    }

    [Fact]
    public void KeysAreTrimmedAndBlanksDropped()
    {
        var auth = Create([" k1 ", "", "k1"]);
        Assert.NotNull(auth.Authenticate(Request(("Authorization", "Bearer k1"))));
        Assert.False(auth.OpenMode);
    }

    [Fact]
    public void MissingOrUnknownKey_IsRejected()
    {
        var auth = Create(["k1"]);
        Assert.Null(auth.Authenticate(Request()));
        Assert.Null(auth.Authenticate(Request(("Authorization", "Bearer k2"))));
        Assert.Null(auth.Authenticate(Request(("Authorization", "Basic k1"))));
    }

    [Fact]
    public void NoKeysOnLoopback_IsOpenMode()
    {
        var auth = Create([]);
        Assert.True(auth.OpenMode);
        Assert.NotNull(auth.Authenticate(Request()));
        Assert.NotNull(auth.Authenticate(Request(("x-api-key", "dummy"))));
    }

    [Fact]
    public void ClusterMode_IsNeverOpen()
    {
        Assert.False(Create([], mode: "cluster").OpenMode);
    }

    [Fact]
    public void AdminKey_OnlyMatchesItself()
    {
        var auth = Create(["k1"], admin: "adm");
        Assert.True(auth.IsAdmin(Request(("x-api-key", "adm"))));
        Assert.False(auth.IsAdmin(Request(("x-api-key", "k1"))));
        Assert.False(Create(["k1"]).IsAdmin(Request(("x-api-key", "adm"))));
    }

    [Fact]
    public void DistinctKeys_GetDistinctKeyIds()
    {
        var auth = Create(["k1", "k2"]);
        Assert.NotEqual(auth.Authenticate(Request(("x-api-key", "k1")))!.KeyId, auth.Authenticate(Request(("x-api-key", "k2")))!.KeyId);
    }
}
