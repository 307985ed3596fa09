using System.Net;
using System.Text;
using Gateway.Api.Usage;
using Gateway.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Usage;

/// <summary>
/// Every request becomes exactly one usage record with the upstream's tokens (SPEC §15.2), whichever path and dialect,
/// and moves the Prometheus series (DESIGN §6).
/// </summary>
public sealed class UsageCaptureTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private IReadOnlyCollection<UsageRecord> Records
        => fixture.Gateway.Services.GetServices<IUsageRecorder>().OfType<RecentUsageRecorder>().Single().Records;

    private async Task<UsageRecord> PostAndGetRecordAsync(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var trace = "trace-" + Guid.NewGuid().ToString("N");
        request.Headers.Add("x-trace-id", trace);
        using var response = await fixture.Gateway.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        // The record is written when the request pipeline unwinds, just after the response completes.
        for (var i = 0; i < 100; i++)
        {
            if (Records.SingleOrDefault(r => r.TraceId == trace) is { } record)
            {
                return record;
            }
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"No usage record for trace {trace} ({(int)response.StatusCode}).");
    }

    // The fake reports prompt 20 (4 cached), completion 10: Anthropic semantics give input 16, cache read 4.
    [Theory]
    [InlineData("v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"u1"}]}""", "chat_completions")]
    [InlineData("v1/chat/completions", """{"model":"gpt-4.1","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"u2"}]}""", "chat_completions")]
    [InlineData("v1/messages", """{"model":"gpt-4.1","max_tokens":9,"messages":[{"role":"user","content":"u3"}]}""", "messages")]
    [InlineData("v1/messages", """{"model":"gpt-4.1","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"u4"}]}""", "messages")]
    [InlineData("v1/messages", """{"model":"gpt-5.4","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"u5"}]}""", "messages")]
    [InlineData("v1/messages", """{"model":"claude-sonnet-4.5","max_tokens":9,"stream":true,"messages":[{"role":"user","content":"u6"}]}""", "messages")]
    [InlineData("v1/messages", """{"model":"claude-sonnet-4.5","max_tokens":9,"messages":[{"role":"user","content":"u7"}]}""", "messages")]
    public async Task SuccessfulRequests_RecordTheUpstreamTokens(string path, string body, string endpoint)
    {
        var record = await PostAndGetRecordAsync(path, body);
        Assert.Equal(200, record.Status);
        Assert.Equal(endpoint, record.Endpoint);
        Assert.Equal("default", record.TenantId);
        Assert.Equal("octocat", record.Account);
        Assert.Equal(10, record.OutputTokens);
        Assert.Equal(16, record.InputTokens);
        Assert.Equal(4, record.CacheReadInputTokens);
        Assert.Equal("user", record.Initiator);
        Assert.True(record.LatencyMs >= 0);
        Assert.NotNull(record.TtftMs);
    }

    [Fact]
    public async Task BadRequest_IsRecordedWithItsStatus()
    {
        var record = await PostAndGetRecordAsync("v1/chat/completions", """{"model":"gpt-4.1"}""");
        Assert.Equal(400, record.Status);
        Assert.Equal("gpt-4.1", record.Model);
        Assert.Equal(0, record.TotalTokens);
    }

    [Fact]
    public async Task Embeddings_RecordPromptTokens()
    {
        var record = await PostAndGetRecordAsync("v1/embeddings", """{"model":"text-embedding-3-small","input":"hello"}""");
        Assert.Equal(200, record.Status);
        Assert.Equal("embeddings", record.Endpoint);
        Assert.True(record.InputTokens > 0);
    }

    [Fact]
    public async Task Metrics_ExposeGenAiSeriesWithBoundedLabels()
    {
        await PostAndGetRecordAsync("v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"metrics"}]}""");
        var text = await fixture.Gateway.Client.GetStringAsync("metrics");
        Assert.Contains("gen_ai_client_token_usage", text);
        Assert.Matches("gen_ai_client_token_usage[a-z_]*\\{[^}]*gen_ai_request_model=\"gpt-4.1\"", text);
        Assert.Matches("gen_ai_client_token_usage[a-z_]*\\{[^}]*gen_ai_token_type=\"output\"", text);
        Assert.Contains("gen_ai_server_request_duration", text);
        Assert.Contains("gen_ai_server_time_to_first_token", text);
        Assert.Contains("gateway_token_refreshes", text);
        // gpt-4.1 has a built-in price: the request's cost moves the cost counter, labelled by currency.
        Assert.Matches("gateway_usage_cost_total\\{[^}]*currency=\"USD\"[^}]*model=\"gpt-4.1\"", text);
        Assert.DoesNotContain("octocat", text);
    }

    [Fact]
    public async Task ClientDisconnect_IsRecordedAs499()
    {
        var trace = "trace-disconnect-" + Guid.NewGuid().ToString("N");
        using var cts = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"model":"fault-hang","stream":true,"messages":[{"role":"user","content":"bye"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-trace-id", trace);
        var send = fixture.Gateway.Client.SendAsync(request, cts.Token);
        for (var i = 0; i < 200 && !fixture.Upstream.RequestsTo("/chat/completions").Any(r => r.BodyText.Contains("fault-hang")); i++)
        {
            await Task.Delay(20);
        }
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        UsageRecord? record = null;
        for (var i = 0; i < 200 && record is null; i++)
        {
            record = Records.SingleOrDefault(r => r.TraceId == trace);
            await Task.Delay(20);
        }
        Assert.NotNull(record);
        Assert.Equal(499, record!.Status);
    }
}
