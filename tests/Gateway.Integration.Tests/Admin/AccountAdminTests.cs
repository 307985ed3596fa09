using System.Net;
using System.Text.Json;
using Gateway.Testing.FakeUpstream;
using static Gateway.Integration.Tests.Admin.AdminClient;

namespace Gateway.Integration.Tests.Admin;

/// <summary>GitHub accounts and the device flow through the admin API (SPEC §2.2, §16.1), against the fake upstream.</summary>
public sealed class AccountAdminTests(AdminGatewayFixture fixture) : IClassFixture<AdminGatewayFixture>
{
    private const string Admin = AdminGatewayFixture.AdminKey;

    private HttpClient Client => fixture.Gateway.Client;

    private FakeUpstreamState State => fixture.Upstream.State;

    private async Task<JsonElement> WaitForFlowAsync(string flowId)
    {
        JsonElement status = default;
        var finished = await EventuallyAsync(async () =>
        {
            status = await JsonAsync(Client, HttpMethod.Get, $"/admin/accounts/device-flow/{flowId}", Admin, null, HttpStatusCode.OK);
            return status.GetProperty("status").GetString() != "pending";
        }, TimeSpan.FromSeconds(20));
        Assert.True(finished, "device flow still pending: " + status.GetRawText());
        return status;
    }

    [Fact]
    public async Task AddAccountByToken_ListsItReadsItsQuotaAndDeletesIt()
    {
        State.RegisterGitHubToken("gho_admin_added", "hubot");

        var added = await JsonAsync(Client, HttpMethod.Post, "/admin/accounts", Admin, """{"githubToken":"gho_admin_added"}""", HttpStatusCode.Created);

        Assert.Equal("hubot", added.GetProperty("login").GetString());
        Assert.True(added.GetProperty("enabled").GetBoolean());
        Assert.Equal(["login", "plan", "copilotApiUrl", "tokenExpiresAt", "cooldownUntil", "enabled"], added.EnumerateObject().Select(p => p.Name));
        var listed = await JsonAsync(Client, HttpMethod.Get, "/admin/accounts", Admin, null, HttpStatusCode.OK);
        Assert.Equal(added.GetRawText(), listed.EnumerateArray().Single(a => a.GetProperty("login").GetString() == "hubot").GetRawText());
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("login").GetString() == FakeUpstreamState.DefaultLogin);

        var quota = await JsonAsync(Client, HttpMethod.Get, "/admin/accounts/hubot/quota", Admin, null, HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Object, quota.GetProperty("quota_snapshots").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(Client, HttpMethod.Delete, "/admin/accounts/hubot", Admin)).Status);
        var after = await JsonAsync(Client, HttpMethod.Get, "/admin/accounts", Admin, null, HttpStatusCode.OK);
        Assert.DoesNotContain(after.EnumerateArray(), a => a.GetProperty("login").GetString() == "hubot");
        Assert.Equal(
            (HttpStatusCode.NotFound, """{"error":{"message":"account hubot not found","type":"invalid_request_error","param":null,"code":null}}"""),
            await SendAsync(Client, HttpMethod.Delete, "/admin/accounts/hubot", Admin));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Client, HttpMethod.Get, "/admin/accounts/hubot/quota", Admin)).Status);
    }

    [Theory]
    [InlineData("""{}""", "githubToken must be a non-empty string")]
    [InlineData("""{"githubToken":""}""", "githubToken must be a non-empty string")]
    [InlineData("""{"githubToken":"gho_nobody_knows"}""", "githubToken was not accepted by GitHub: GitHub rejected the token (401).")]
    public async Task AddAccount_RejectsBadTokens(string body, string message)
    {
        Assert.Equal(
            (HttpStatusCode.BadRequest, $$$"""{"error":{"message":"{{{message}}}","type":"invalid_request_error","param":null,"code":null}}"""),
            await SendAsync(Client, HttpMethod.Post, "/admin/accounts", Admin, body));
    }

    [Fact]
    public async Task DeviceFlow_CompletesAndRegistersTheAccount()
    {
        State.EnqueueDeviceFlowOutcomes(DeviceFlowOutcome.Pending, DeviceFlowOutcome.Success(login: "monalisa"));

        var started = await JsonAsync(Client, HttpMethod.Post, "/admin/accounts/device-flow", Admin, null, HttpStatusCode.OK);

        var flowId = started.GetProperty("flowId").GetString()!;
        Assert.Matches("^df_[0-9a-f]{24}$", flowId);
        Assert.Equal(
            $$"""{"user_code":"FAKE-{{State.DeviceCodeCount:D4}}","verification_uri":"{{fixture.Upstream.BaseAddress}}/login/device","expires_in":900,"interval":0}""",
            Without(started, "flowId"));
        Assert.Equal("pending", (await JsonAsync(Client, HttpMethod.Get, $"/admin/accounts/device-flow/{flowId}", Admin, null, HttpStatusCode.OK)).GetProperty("status").GetString());

        var finished = await WaitForFlowAsync(flowId);

        Assert.Equal("complete", finished.GetProperty("status").GetString());
        Assert.Equal("monalisa", finished.GetProperty("account").GetProperty("login").GetString());
        var listed = await JsonAsync(Client, HttpMethod.Get, "/admin/accounts", Admin, null, HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("login").GetString() == "monalisa");
    }

    [Fact]
    public async Task DeviceFlow_DeniedOnGitHub_ReportsDenied()
    {
        State.EnqueueDeviceFlowOutcomes(DeviceFlowOutcome.AccessDenied);
        var flowId = (await JsonAsync(Client, HttpMethod.Post, "/admin/accounts/device-flow", Admin, null, HttpStatusCode.OK)).GetProperty("flowId").GetString()!;

        var finished = await WaitForFlowAsync(flowId);

        Assert.Equal("""{"status":"denied","error":"Access was denied on GitHub."}""", finished.GetRawText());
    }

    [Fact]
    public async Task DeviceFlow_ExpiredToken_ReportsExpired()
    {
        State.EnqueueDeviceFlowOutcomes(DeviceFlowOutcome.ExpiredToken);
        var flowId = (await JsonAsync(Client, HttpMethod.Post, "/admin/accounts/device-flow", Admin, null, HttpStatusCode.OK)).GetProperty("flowId").GetString()!;

        var finished = await WaitForFlowAsync(flowId);

        Assert.Equal("""{"status":"expired","error":"The device code expired."}""", finished.GetRawText());
    }

    [Fact]
    public async Task UnknownDeviceFlow_Is404()
    {
        Assert.Equal(
            (HttpStatusCode.NotFound, """{"error":{"message":"device flow df_unknown not found","type":"invalid_request_error","param":null,"code":null}}"""),
            await SendAsync(Client, HttpMethod.Get, "/admin/accounts/device-flow/df_unknown", Admin));
    }
}
