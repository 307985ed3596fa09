using System.Net;
using Gateway.Testing.FakeUpstream;
using static Gateway.Integration.Tests.Admin.AdminClient;

namespace Gateway.Integration.Tests.Admin;

/// <summary><c>GET /token</c> (SPEC §1.1): the account's current Copilot token, for the admin key only.</summary>
public sealed class TokenEndpointTests(AdminGatewayFixture fixture) : IClassFixture<AdminGatewayFixture>
{
    [Fact]
    public async Task AdminKey_GetsTheCurrentCopilotTokenOfTheAccount()
    {
        var client = fixture.Gateway.Client;
        var first = await JsonAsync(client, HttpMethod.Get, "/token", AdminGatewayFixture.AdminKey, null, HttpStatusCode.OK);
        var named = await JsonAsync(client, HttpMethod.Get, $"/token?account={FakeUpstreamState.DefaultLogin}", AdminGatewayFixture.AdminKey, null, HttpStatusCode.OK);

        var token = first.GetProperty("token").GetString()!;
        Assert.Equal(token, named.GetProperty("token").GetString());
        Assert.True(fixture.Upstream.State.IsValidCopilotToken(token));
        Assert.Contains(fixture.Upstream.State.IssuedCopilotTokens, t => t.Token == token);
    }

    [Fact]
    public async Task TenantKeyOrUnknownAccount_AreRefused()
    {
        var client = fixture.Gateway.Client;
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, "/token", AdminGatewayFixture.ConfigKey)).Status);
        Assert.Equal(
            (HttpStatusCode.NotFound, """{"error":{"message":"account nobody-here not found","type":"invalid_request_error","param":null,"code":null}}"""),
            await SendAsync(client, HttpMethod.Get, "/token?account=nobody-here", AdminGatewayFixture.AdminKey));
    }
}
