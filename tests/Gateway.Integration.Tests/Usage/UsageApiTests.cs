using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Api.Usage;
using Gateway.Api.UsageViewer;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Usage;

/// <summary>
/// A standalone gateway with a tenant key and an admin key. No GitHub account: the usage routes need none, and with
/// keys configured the host's wait for models (open mode only) does not apply.
/// </summary>
public sealed class UsageGatewayFixture : IAsyncLifetime
{
    public const string TenantKey = "usage-tenant-key";
    public const string AdminKey = "usage-admin-key";

    public FakeUpstreamServer Upstream { get; private set; } = null!;

    public GatewayTestHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstreamServer.StartAsync();
        Gateway = await GatewayTestHost.StartAsync(Upstream, overrides =>
        {
            overrides["Gateway:auth:apiKeys:0"] = TenantKey;
            overrides["Gateway:auth:adminApiKey"] = AdminKey;
            overrides["Gateway:usage:timeZone"] = "UTC";
        }, withAccount: false);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

/// <summary>
/// <c>/v1/usage</c>, <c>/v1/usage/events</c>, <c>/admin/usage</c> (SPEC §15.3, §16.1) and the viewer page (§15.4) on a
/// real gateway. Records go in through the store and the recorder directly, independent of the request path.
/// </summary>
public sealed class UsageApiTests(UsageGatewayFixture fixture) : IClassFixture<UsageGatewayFixture>
{
    private static readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private static readonly DateTimeOffset _today = new(_now.UtcDateTime.Date, TimeSpan.Zero);

    // Tests share the gateway and its tenant "default": each test reports on a model of its own.
    private readonly string _tenantModel = "model-" + Guid.NewGuid().ToString("N")[..8];

    private GatewayTestHost Gateway => fixture.Gateway;

    [Fact]
    public async Task Usage_NoKey_Is401()
    {
        using var response = await Gateway.Client.GetAsync("v1/usage");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Usage_UnknownTimeZoneOrPeriod_Is400()
    {
        using var badZone = await GetAsync("v1/usage?tz=Mars/Olympus", UsageGatewayFixture.TenantKey);
        using var badPeriod = await GetAsync("v1/usage/events?period=yesterday", UsageGatewayFixture.TenantKey);
        using var badPage = await GetAsync("v1/usage/events?page_size=101", UsageGatewayFixture.TenantKey);

        Assert.Equal(
            """{"error":{"message":"Unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Berlin.","type":"invalid_request_error","param":null,"code":null}}""",
            await Body(badZone, HttpStatusCode.BadRequest));
        Assert.Contains("period must be one of", await Body(badPeriod, HttpStatusCode.BadRequest));
        Assert.Contains("page_size must be an integer from 1 to 100", await Body(badPage, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Usage_Today_ReportsTheTenantsTotalsModelsAndSeries()
    {
        var store = Gateway.Services.GetRequiredService<IUsageStore>();
        var a = Record("default", _tenantModel, _now.AddSeconds(-30), input: 100, output: 20, cacheRead: 7, cacheWrite: 3);
        var b = Record("default", _tenantModel, _now.AddSeconds(-20), input: 50, output: 5);
        var other = Record("other-tenant", _tenantModel, _now.AddSeconds(-10), input: 1_000_000, output: 1);
        await store.WriteBatchAsync([a, b, other], default);

        var json = await GetJsonAsync($"v1/usage?period=day&tz=UTC", UsageGatewayFixture.TenantKey);

        Assert.Equal("today", (string?)json["period"]);
        Assert.Equal(Format(_today), (string?)json["from"]);
        Assert.Equal("UTC", (string?)json["time_zone"]);
        var to = DateTimeOffset.Parse((string)json["to"]!, CultureInfo.InvariantCulture);
        Assert.InRange(to, _now.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        var row = Assert.Single(json["models"]!.AsArray(), m => (string?)m!["model"] == _tenantModel);
        AssertJson(
            $$$"""{"model":"{{{_tenantModel}}}","provider_name":null,"requests":2,"input_tokens":150,"output_tokens":25,"cache_read_input_tokens":7,"cache_creation_input_tokens":3,"total_tokens":185,"cost":{}}""",
            row!);
        var series = json["series"]!.AsArray();
        var point = Assert.Single(series);
        Assert.Equal(Format(_today), (string?)point!["bucket_start"]);
        Assert.Equal((long)json["totals"]!["total_tokens"]!, (long)point["total_tokens"]!);
        Assert.True((long)json["totals"]!["total_tokens"]! < 1_000_000, "another tenant's tokens leaked into the totals");
    }

    [Fact]
    public async Task Events_AllPages_AreTheTenantsRecordsNewestFirst()
    {
        var store = Gateway.Services.GetRequiredService<IUsageStore>();
        var records = Enumerable.Range(0, 3).Select(i => Record("default", _tenantModel, _now.AddSeconds(-60 + i), input: i)).ToArray();
        await store.WriteBatchAsync([.. records, Record("other-tenant", _tenantModel, _now.AddSeconds(-30))], default);

        var seen = new List<JsonNode>();
        long total = -1, totalPages = -1;
        for (var page = 1; totalPages < 0 || page <= totalPages; page++)
        {
            var json = await GetJsonAsync($"v1/usage/events?period=today&page={page}&page_size=2", UsageGatewayFixture.TenantKey);
            Assert.Equal(page, (int)json["page"]!);
            Assert.Equal(2, (int)json["page_size"]!);
            total = (long)json["total"]!;
            totalPages = (long)json["total_pages"]!;
            seen.AddRange(json["data"]!.AsArray().Select(n => n!));
        }

        Assert.Equal(total, seen.Count);
        Assert.Equal((total + 1) / 2, totalPages);
        Assert.All(seen, e => Assert.Equal("default", (string?)e["tenant_id"]));
        var times = seen.Select(e => (long)e["created_at_ms"]!).ToArray();
        Assert.Equal(times.OrderDescending(), times);
        var mine = seen.Select(e => (string)e["id"]!).Where(id => records.Any(r => r.Id.ToString() == id)).ToArray();
        Assert.Equal(records.Reverse().Select(r => r.Id.ToString()), mine);
    }

    [Fact]
    public async Task Events_RecordedThroughTheRecorder_AreServedWithEveryField()
    {
        var recorder = Gateway.Services.GetServices<IUsageRecorder>().First(r => r is not RecentUsageRecorder);
        var record = Record("default", _tenantModel, _now, input: 11, output: 22) with
        {
            SessionId = "7b0d5f4e-1111-4222-8333-944455556666",
            UserId = "device-1",
            Initiator = "agent",
            TtftMs = 33,
        };

        recorder.Record(record);
        JsonNode? found = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (found is null)
        {
            var json = await GetJsonAsync("v1/usage/events?period=today&page_size=100", UsageGatewayFixture.TenantKey);
            found = json["data"]!.AsArray().FirstOrDefault(e => (string?)e!["id"] == record.Id.ToString());
            Assert.True(found is not null || DateTime.UtcNow < deadline, "the recorded record did not reach /v1/usage/events within 20 s");
            await Task.Delay(found is null ? 50 : 0);
        }

        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(record.CreatedAt.ToUnixTimeMilliseconds());
        AssertJson(
            $$"""
            {"id":"{{record.Id}}","created_at":"{{createdAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","created_at_ms":{{createdAt.ToUnixTimeMilliseconds()}},
             "trace_id":"{{record.TraceId}}","session_id":"7b0d5f4e-1111-4222-8333-944455556666","user_id":"device-1","tenant_id":"default",
             "key_id":"k1","account":"octocat","source":"copilot","endpoint":"messages","provider_name":null,"model":"{{_tenantModel}}",
             "status":200,"initiator":"agent","latency_ms":120,"ttft_ms":33,"input_tokens":11,"output_tokens":22,
             "cache_read_input_tokens":0,"cache_creation_input_tokens":0,"total_tokens":33,"cost":{{"{}"}}}
            """,
            found!);
    }

    [Fact]
    public async Task AdminUsage_GroupByTenantAndModel_SumsAcrossTenants()
    {
        var store = Gateway.Services.GetRequiredService<IUsageStore>();
        var t1 = "admin-a-" + Guid.NewGuid().ToString("N")[..6];
        var t2 = "admin-b-" + Guid.NewGuid().ToString("N")[..6];
        await store.WriteBatchAsync(
        [
            Record(t1, "m1", _now.AddMinutes(-3), input: 1, output: 1),
            Record(t1, "m1", _now.AddMinutes(-2), input: 2, output: 2),
            Record(t2, "m2", _now.AddMinutes(-1), input: 4, output: 4, cacheRead: 4),
        ], default);
        var from = _now.AddMinutes(-10).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        var one = await GetJsonAsync($"admin/usage?from={from}&tenant={t1}&group_by=tenant,model", UsageGatewayFixture.AdminKey);
        var both = await GetJsonAsync($"admin/usage?from={from}&group_by=tenant&group_by=model", UsageGatewayFixture.AdminKey);
        using var tenantKey = await GetAsync("admin/usage", UsageGatewayFixture.TenantKey);
        using var badGroup = await GetAsync("admin/usage?group_by=colour", UsageGatewayFixture.AdminKey);

        AssertJson(
            $$$"""[{"tenant":"{{{t1}}}","model":"m1","requests":2,"input_tokens":3,"output_tokens":3,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"total_tokens":6,"cost":{}}]""",
            one["data"]!);
        Assert.Equal(t1, (string?)one["tenant"]);
        AssertJson("""["tenant","model"]""", both["group_by"]!);
        var mine = both["data"]!.AsArray().Where(r => (string?)r!["tenant"] == t1 || (string?)r!["tenant"] == t2).ToArray();
        AssertJson(
            $$$"""
            [{"tenant":"{{{t1}}}","model":"m1","requests":2,"input_tokens":3,"output_tokens":3,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"total_tokens":6,"cost":{}},
             {"tenant":"{{{t2}}}","model":"m2","requests":1,"input_tokens":4,"output_tokens":4,"cache_read_input_tokens":4,"cache_creation_input_tokens":0,"total_tokens":12,"cost":{}}]
            """,
            new JsonArray(mine.Select(n => n!.DeepClone()).ToArray()));
        Assert.Equal(HttpStatusCode.Unauthorized, tenantKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badGroup.StatusCode);
    }

    [Fact]
    public async Task Viewer_ServesOneStrictPage_AndRedirectsTheSlashForm()
    {
        using var page = await Gateway.Client.GetAsync("usage-viewer?endpoint=http://localhost/usage");
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var raw = new HttpClient(handler) { BaseAddress = Gateway.Client.BaseAddress };
        using var slash = await raw.GetAsync("usage-viewer/?period=week");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        Assert.Equal(UsageViewerEndpoints.ContentSecurityPolicy, string.Join(",", page.Headers.GetValues("Content-Security-Policy")));
        Assert.StartsWith("default-src 'none'; script-src 'sha256-", UsageViewerEndpoints.ContentSecurityPolicy);
        Assert.Equal("nosniff", string.Join(",", page.Headers.GetValues("X-Content-Type-Options")));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("x-api-key", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.Equal(HttpStatusCode.MovedPermanently, slash.StatusCode);
        Assert.Equal("/usage-viewer?period=week", slash.Headers.Location!.OriginalString);
    }

    private static UsageRecord Record(string tenant, string model, DateTimeOffset at, long input = 0, long output = 0, long cacheRead = 0, long cacheWrite = 0)
    {
        return new UsageRecord
        {
            Id = Guid.NewGuid(),
            CreatedAt = at,
            TraceId = "trace-" + Guid.NewGuid().ToString("N")[..8],
            TenantId = tenant,
            KeyId = "k1",
            Account = "octocat",
            Endpoint = "messages",
            Model = model,
            Status = 200,
            LatencyMs = 120,
            InputTokens = input,
            OutputTokens = output,
            CacheReadInputTokens = cacheRead,
            CacheCreationInputTokens = cacheWrite,
            TotalTokens = input + output + cacheRead + cacheWrite,
        };
    }

    private static string Format(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> GetAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-api-key", key);
        return await Gateway.Client.SendAsync(request);
    }

    private async Task<JsonNode> GetJsonAsync(string path, string key)
    {
        using var response = await GetAsync(path, key);
        return JsonNode.Parse(await Body(response, HttpStatusCode.OK))!;
    }

    private static async Task<string> Body(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    private static void AssertJson(string expected, JsonNode actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, actual), $"Expected {expectedNode!.ToJsonString()}\nActual   {actual.ToJsonString()}");
    }
}
