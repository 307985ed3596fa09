using System.Text.Json;
using Gateway.Testing.FakeUpstream;
using static Gateway.Api.Tests.FakeUpstream.FakeUpstreamTestKit;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>The GitHub side of the fake: device flow, <c>/user</c>, token exchange and quota (SPEC §2.2, §2.3, §15.1).</summary>
public sealed class FakeGitHubTests
{
    private const string DeviceCodeRequest = """{"client_id":"Iv1.b507a08c87ecfe98","scope":"read:user"}""";

    [Fact]
    public async Task DeviceCode_AnswersCodeWithVerificationUriOnServer()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();

        var (status, contentType, body) = await fake.SendAsync(Post("/login/device/code", DeviceCodeRequest));

        Assert.Equal(200, status);
        Assert.Equal("application/json", contentType);
        AssertJson(
            $$"""{"device_code":"dc_fake_1","user_code":"FAKE-0001","verification_uri":"{{fake.Server.BaseAddress}}/login/device","expires_in":900,"interval":0}""",
            body);
    }

    [Fact]
    public async Task AccessTokenPolling_DefaultIsOnePendingThenTokenOfOctocat()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        var poll = """{"client_id":"Iv1.b507a08c87ecfe98","device_code":"dc_fake_1","grant_type":"urn:ietf:params:oauth:grant-type:device_code"}""";

        var first = await fake.SendAsync(Post("/login/oauth/access_token", poll));
        var second = await fake.SendAsync(Post("/login/oauth/access_token", poll));
        var user = await fake.SendAsync(Get("/user", "token gho_fake_1"));

        Assert.Equal(200, first.Status);
        AssertJson(
            """{"error":"authorization_pending","error_description":"The authorization request is still pending.","error_uri":"https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow"}""",
            first.Body);
        AssertJson("""{"access_token":"gho_fake_1","token_type":"bearer","scope":"read:user"}""", second.Body);
        Assert.Equal(2, fake.State.AccessTokenPollCount);
        Assert.Equal(200, user.Status);
        Assert.Equal("octocat", JsonDocument.Parse(user.Body).RootElement.GetProperty("login").GetString());
    }

    [Fact]
    public async Task AccessTokenPolling_FollowsScriptedOutcomes()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.DeviceFlowInterval = 2;
        fake.State.EnqueueDeviceFlowOutcomes(
            DeviceFlowOutcome.SlowDown,
            DeviceFlowOutcome.ExpiredToken,
            DeviceFlowOutcome.AccessDenied,
            DeviceFlowOutcome.Success("gho_custom", "alice"));

        var errors = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var (_, _, body) = await fake.SendAsync(Post("/login/oauth/access_token", """{"device_code":"dc"}"""));
            using var json = JsonDocument.Parse(body);
            errors.Add(json.RootElement.GetProperty("error").GetString());
            if (i == 0)
            {
                Assert.Equal(7, json.RootElement.GetProperty("interval").GetInt32());
            }
        }

        var success = await fake.SendAsync(Post("/login/oauth/access_token", """{"device_code":"dc"}"""));
        var user = await fake.SendAsync(Get("/user", "token gho_custom"));

        Assert.Equal(["slow_down", "expired_token", "access_denied"], errors);
        AssertJson("""{"access_token":"gho_custom","token_type":"bearer","scope":"read:user"}""", success.Body);
        Assert.Equal("alice", JsonDocument.Parse(user.Body).RootElement.GetProperty("login").GetString());
    }

    [Fact]
    public async Task User_RegisteredTokenAnswersItsLoginAndUnknownTokenIs401()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RegisterGitHubToken("ghu_bob", "bob");

        var known = await fake.SendAsync(Get("/user", "token ghu_bob"));
        var unknown = await fake.SendAsync(Get("/user", "token ghu_nobody"));
        var missing = await fake.SendAsync(Get("/user"));

        Assert.Equal(200, known.Status);
        using var json = JsonDocument.Parse(known.Body);
        Assert.Equal("bob", json.RootElement.GetProperty("login").GetString());
        Assert.True(json.RootElement.GetProperty("id").GetInt64() > 0);
        Assert.Equal(401, unknown.Status);
        AssertJson("""{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}""", unknown.Body);
        Assert.Equal(401, missing.Status);
    }

    [Fact]
    public async Task TokenExchange_IssuesCopilotTokenPointingAtServer()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();

        var (status, _, body) = await fake.SendAsync(Get("/copilot_internal/v2/token", "token " + FakeUpstreamState.DefaultGitHubToken));

        Assert.Equal(200, status);
        var issued = Assert.Single(fake.State.IssuedCopilotTokens);
        var expiresAt = Now.ToUnixTimeSeconds() + 1800;
        var address = fake.Server.BaseAddress;
        AssertJson(
            $$"""
            {
              "chat_enabled": true,
              "endpoints": {"api": "{{address}}", "origin-tracker": "{{address}}", "proxy": "{{address}}", "telemetry": "{{address}}/telemetry"},
              "expires_at": {{expiresAt}},
              "individual": true,
              "refresh_in": 1500,
              "sku": "plus_monthly_subscriber_quota",
              "token": "{{issued.Token}}"
            }
            """,
            body);
        Assert.StartsWith("tid=", issued.Token);
        Assert.Contains($";exp={expiresAt};", issued.Token);
        Assert.Equal(new IssuedCopilotToken(issued.Token, FakeUpstreamState.DefaultGitHubToken, "octocat", DateTimeOffset.FromUnixTimeSeconds(expiresAt)), issued);
        Assert.Equal(1, fake.State.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken));
        Assert.True(fake.State.IsValidCopilotToken(issued.Token));
    }

    [Fact]
    public async Task TokenExchange_FailsTheNextKThenSucceedsAndCountsEveryAttempt()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.FailNextTokenExchanges(2, 500);
        var auth = "token " + FakeUpstreamState.DefaultGitHubToken;

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await fake.SendAsync(Get("/copilot_internal/v2/token", auth))).Status);
        }

        fake.State.FailNextTokenExchanges(1, 401);
        var unauthorized = await fake.SendAsync(Get("/copilot_internal/v2/token", auth));

        Assert.Equal([500, 500, 200], statuses);
        Assert.Equal(401, unauthorized.Status);
        Assert.Equal(4, fake.State.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken));
        Assert.Equal(4, fake.State.TotalTokenExchanges);
        Assert.Single(fake.State.IssuedCopilotTokens);
    }

    [Fact]
    public async Task TokenExchange_UnknownGitHubTokenIs401AndIssuesNothing()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();

        var (status, _, _) = await fake.SendAsync(Get("/copilot_internal/v2/token", "token ghu_unknown"));

        Assert.Equal(401, status);
        Assert.Empty(fake.State.IssuedCopilotTokens);
        Assert.Equal(0, fake.State.TotalTokenExchanges);
    }

    [Fact]
    public async Task Quota_HasEverySpecFieldAndPremiumSnapshotFromKnobs()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.PremiumEntitlement = 300;
        fake.State.PremiumRemaining = 150;

        var (status, _, body) = await fake.SendAsync(Get("/copilot_internal/user", "token " + FakeUpstreamState.DefaultGitHubToken));

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(
            ["login", "access_type_sku", "analytics_tracking_id", "assigned_date", "can_signup_for_limited", "chat_enabled",
             "copilot_plan", "organization_login_list", "organization_list", "quota_reset_date", "endpoints", "quota_snapshots"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("octocat", root.GetProperty("login").GetString());
        Assert.Equal("2027-02-01", root.GetProperty("quota_reset_date").GetString());
        Assert.Equal(fake.Server.BaseAddress, root.GetProperty("endpoints").GetProperty("api").GetString());
        var snapshots = root.GetProperty("quota_snapshots");
        AssertJson(
            """{"entitlement":0,"overage_count":0,"overage_permitted":false,"percent_remaining":100,"quota_id":"chat","quota_remaining":0,"remaining":0,"unlimited":true}""",
            snapshots.GetProperty("chat").GetRawText());
        AssertJson(
            """{"entitlement":0,"overage_count":0,"overage_permitted":false,"percent_remaining":100,"quota_id":"completions","quota_remaining":0,"remaining":0,"unlimited":true}""",
            snapshots.GetProperty("completions").GetRawText());
        AssertJson(
            """{"entitlement":300,"overage_count":0,"overage_permitted":false,"percent_remaining":50,"quota_id":"premium_interactions","quota_remaining":150,"remaining":150,"unlimited":false}""",
            snapshots.GetProperty("premium_interactions").GetRawText());
    }

    [Fact]
    public async Task Quota_FailureKnobAnswersThatStatus()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.QuotaFailureStatus = 503;

        var (status, _, body) = await fake.SendAsync(Get("/copilot_internal/user", "token " + FakeUpstreamState.DefaultGitHubToken));

        Assert.Equal(503, status);
        AssertJson("""{"message":"fake quota failure 503"}""", body);
    }
}
