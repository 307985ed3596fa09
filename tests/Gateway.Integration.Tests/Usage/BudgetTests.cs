using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Admin;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using static Gateway.Integration.Tests.Admin.AdminClient;

namespace Gateway.Integration.Tests.Usage;

/// <summary>
/// Monthly budgets through a real standalone gateway (SPEC §15.2, §16.2): each request's cost from the model's
/// pricing, reserved at admission and settled with the upstream's tokens; an exhausted budget answers 429
/// <c>insufficient_quota</c> (Anthropic: <c>rate_limit_error</c>); the spend survives a restart.
/// </summary>
public sealed class BudgetTests
{
    private const string Admin = AdminGatewayFixture.AdminKey;

    /// <summary>
    /// gpt-4.1 priced at 1000 USD per million input tokens and 1 per million output tokens. The fake answers every chat
    /// with prompt 20 (4 of them cached) and completion 10: 16 × 1000 + 4 × 1000 + 10 × 1 = 20,010 per million =
    /// 0.02001 USD. The reservation: body bytes / 4 ≈ 15 prompt tokens × 1000 + 4096 × 1 ≈ 0.019 USD.
    /// </summary>
    private static void Configure(Dictionary<string, string?> overrides)
    {
        AdminGatewayFixture.Configure(overrides);
        overrides["Gateway:pricing:gpt-4.1:input"] = "1000";
        overrides["Gateway:pricing:gpt-4.1:output"] = "1";
    }

    [Fact]
    public async Task ExhaustedBudget_Refuses429InsufficientQuota_InBothDialects_AndSpendSurvivesRestart()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("gw-budget-").FullName;
        try
        {
            string secret;
            var tenant = "t-budget";
            await using (var gateway = await GatewayTestHost.StartAsync(upstream, Configure, dataDir, withAccount: false))
            {
                await AdminGatewayFixture.WaitForModelsAsync(gateway);
                await JsonAsync(gateway.Client, HttpMethod.Post, "/admin/tenants", Admin,
                    $$$"""{"id":"{{{tenant}}}","name":"Budgeted","budget":{"monthly":0.05,"currency":"USD"}}""", HttpStatusCode.Created);
                var key = await JsonAsync(gateway.Client, HttpMethod.Post, $"/admin/tenants/{tenant}/keys", Admin, """{"name":"ci"}""", HttpStatusCode.Created);
                secret = key.GetProperty("key").GetString()!;

                // 0.02001 spent after the first, 0.04002 after the second; a third (≈0.019 reserved) would pass 0.05.
                // So would a Messages request allowed 4096 output tokens of claude-sonnet-4.5 (4096 × 15 per million).
                Assert.Equal(HttpStatusCode.OK, await ChatAsync(gateway.Client, secret));
                Assert.Equal(HttpStatusCode.OK, await ChatAsync(gateway.Client, secret));

                using (var refused = await PostAsync(gateway.Client, secret, "v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}"""))
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
                    Assert.Equal(
                        """{"error":{"message":"The tenant's monthly budget of 0.05 USD does not cover this request; it renews at the start of next month (UTC).","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""",
                        await refused.Content.ReadAsStringAsync());
                    var now = DateTimeOffset.UtcNow;
                    var untilNextMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1) - now;
                    var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
                    Assert.InRange(retryAfter, untilNextMonth - TimeSpan.FromMinutes(1), untilNextMonth + TimeSpan.FromMinutes(1));
                }
                using (var anthropic = await PostAsync(gateway.Client, secret, "v1/messages",
                    """{"model":"claude-sonnet-4.5","max_tokens":4096,"messages":[{"role":"user","content":"hi"}]}"""))
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, anthropic.StatusCode);
                    Assert.Equal(
                        """{"type":"error","error":{"type":"rate_limit_error","message":"The tenant's monthly budget of 0.05 USD does not cover this request; it renews at the start of next month (UTC)."}}""",
                        await anthropic.Content.ReadAsStringAsync());
                }
                Assert.Equal(2, upstream.RequestsTo("/chat/completions").Count);
                Assert.Empty(upstream.RequestsTo("/v1/messages"));

                // The admin sees the month's spend; the tenant sees the same cost in its usage.
                Assert.True(await EventuallyAsync(async () => SpendOf(await JsonAsync(gateway.Client, HttpMethod.Get, $"/admin/tenants/{tenant}", Admin, null, HttpStatusCode.OK)) == "0.04002/0/0.00998", TimeSpan.FromSeconds(10)));
                JsonElement usage = default;
                Assert.True(await EventuallyAsync(async () =>
                {
                    usage = await JsonAsync(gateway.Client, HttpMethod.Get, "/v1/usage?period=today&tz=UTC", secret, null, HttpStatusCode.OK);
                    return usage.GetProperty("totals").GetProperty("requests").GetInt64() == 4;
                }, TimeSpan.FromSeconds(20)));
                Assert.Equal("""{"USD":0.04002}""", usage.GetProperty("totals").GetProperty("cost").GetRawText());
                var gpt = usage.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("model").GetString() == "gpt-4.1");
                Assert.Equal(3, gpt.GetProperty("requests").GetInt64());
                Assert.Equal("""{"USD":0.04002}""", gpt.GetProperty("cost").GetRawText());
            }

            // Stopped gracefully and started again on the same data: the spend is still there and still refuses.
            await using (var restarted = await GatewayTestHost.StartAsync(upstream, Configure, dataDir, withAccount: false))
            {
                await AdminGatewayFixture.WaitForModelsAsync(restarted);
                var tenantJson = await JsonAsync(restarted.Client, HttpMethod.Get, $"/admin/tenants/{tenant}", Admin, null, HttpStatusCode.OK);
                Assert.Equal("0.04002/0/0.00998", SpendOf(tenantJson));
                Assert.Equal(HttpStatusCode.TooManyRequests, await ChatAsync(restarted.Client, secret));

                // Raising the budget lets the tenant through again at once.
                await JsonAsync(restarted.Client, HttpMethod.Patch, $"/admin/tenants/{tenant}", Admin, """{"budget":{"monthly":1}}""", HttpStatusCode.OK);
                Assert.True(await EventuallyAsync(async () => await ChatAsync(restarted.Client, secret) == HttpStatusCode.OK, TimeSpan.FromSeconds(10)));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static string SpendOf(JsonElement tenant)
    {
        var spend = tenant.GetProperty("spend");
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), spend.GetProperty("month").GetString());
        Assert.Equal("USD", spend.GetProperty("currency").GetString());
        return $"{spend.GetProperty("spent").GetRawText()}/{spend.GetProperty("reserved").GetRawText()}/{spend.GetProperty("remaining").GetRawText()}";
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string key, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }
}
