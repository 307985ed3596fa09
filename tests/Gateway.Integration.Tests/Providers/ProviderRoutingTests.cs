using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Api.Usage;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Providers;

/// <summary>
/// Provider routing end to end (SPEC §13): aliases and <c>/&lt;name&gt;/v1/...</c> routes, exact upstream bodies and
/// headers, translated answers, usage records, errors in each route's dialect.
/// </summary>
public sealed class ProviderRoutingTests(ProvidersFixture fixture) : IClassFixture<ProvidersFixture>
{
    private async Task<(HttpResponseMessage Response, string Body)> PostAsync(string path, string body, string key = ProvidersFixture.Key,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("x-api-key", key);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await fixture.Gateway.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private RecordedRequest Sent(string path, string marker) => Assert.Single(fixture.Upstream.RequestsTo(path), r => r.BodyText.Contains(marker));

    private UsageRecord Record(string model, Func<UsageRecord, bool>? extra = null)
    {
        var recorder = fixture.Gateway.Services.GetServices<IUsageRecorder>().OfType<RecentUsageRecorder>().Single();
        // The record is written when the response completes, which may be just after the client read it.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var found = recorder.Records.Where(r => r.Model == model && (extra?.Invoke(r) ?? true)).ToList();
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return Assert.Single(found);
            }
            Thread.Sleep(20);
        }
    }

    private static List<string> EventNames(string sse)
        => sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n').First(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..])
            .ToList();

    /// <summary>The text deltas of an Anthropic stream, joined.</summary>
    private static string TextOf(string sse)
        => string.Concat(sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n').First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])
            .Select(data => JsonDocument.Parse(data).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "content_block_delta" && e.GetProperty("delta").GetProperty("type").GetString() == "text_delta")
            .Select(e => e.GetProperty("delta").GetProperty("text").GetString()));

    [Fact]
    public async Task AnthropicAlias_IsPassedThroughNatively_WithProviderAuthOnly()
    {
        var (response, body) = await PostAsync("v1/messages",
            """{"model":"anth/claude-test-1","max_tokens":50,"messages":[{"role":"user","content":"anth-native"}]}""",
            headers: [("anthropic-version", "2023-06-01"), ("anthropic-beta", "beta-x")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Sent("/v1/messages", "anth-native");
        Assert.Equal("""{"model":"claude-test-1","max_tokens":50,"messages":[{"role":"user","content":"anth-native"}]}""", sent.BodyText);
        Assert.Equal("sk-anth", sent.Header("x-api-key"));
        Assert.Null(sent.Header("authorization"));
        Assert.Equal("c1", sent.Header("x-custom"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        Assert.Equal("beta-x", sent.Header("anthropic-beta"));
        Assert.Null(sent.Header("editor-version"));
        Assert.DoesNotContain(sent.Headers, h => h.Value.Contains(ProvidersFixture.Key, StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("message", doc.RootElement.GetProperty("type").GetString());
        Assert.StartsWith("Hello from claude-test-1", doc.RootElement.GetProperty("content")[0].GetProperty("text").GetString());

        var record = Record("claude-test-1");
        Assert.Equal(("provider", "anth", "messages", 200), (record.Source, record.ProviderName, record.Endpoint, record.Status));
        Assert.Equal((16L, 10L, 4L, 0L), (record.InputTokens, record.OutputTokens, record.CacheReadInputTokens, record.CacheCreationInputTokens));
    }

    [Fact]
    public async Task ProviderRoute_AnthropicStream_RelaysTheEventsAndRecordsProviderMessages()
    {
        var (response, body) = await PostAsync("anth/v1/messages",
            """{"model":"claude-test-2","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"anth-route-stream"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var sent = Sent("/v1/messages", "anth-route-stream");
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        // Native passthrough: the upstream's events as they came, ping included.
        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            EventNames(body));
        var record = Record("claude-test-2");
        Assert.Equal(("provider", "anth", "provider_messages"), (record.Source, record.ProviderName, record.Endpoint));
        Assert.Equal((16L, 10L, 4L), (record.InputTokens, record.OutputTokens, record.CacheReadInputTokens));
    }

    [Fact]
    public async Task OpenAICompatibleAlias_TranslatesWithPerModelOptions_AndPricesTheRecord()
    {
        var (response, body) = await PostAsync("v1/messages",
            """{"model":"oac/qwen-test","max_tokens":100,"messages":[{"role":"user","content":"oac-exact"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The base URL ends in /v1, so only /chat/completions is appended (SPEC §13.2).
        var sent = Sent("/v1/chat/completions", "oac-exact");
        Assert.Equal(
            """{"model":"qwen-test","messages":[{"role":"user","content":"oac-exact"}],"max_tokens":100,"temperature":0.3,"top_k":20,"enable_thinking":false,"seed":7}""",
            sent.BodyText);
        Assert.Equal("Bearer sk-oac", sent.Header("authorization"));
        Assert.Null(sent.Header("x-api-key"));
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("message", doc.RootElement.GetProperty("type").GetString());
        Assert.StartsWith("Hello from qwen-test", doc.RootElement.GetProperty("content")[0].GetProperty("text").GetString());

        var record = Record("qwen-test", r => r.Endpoint == "messages");
        Assert.Equal(("provider", "oac"), (record.Source, record.ProviderName));
        Assert.Equal((16L, 10L, 4L), (record.InputTokens, record.OutputTokens, record.CacheReadInputTokens));
        // providers.oac.models.qwen-test.pricing: 1000 per million input (cache reads at the input price), 2000 output.
        Assert.Equal("USD", record.CostCurrency);
        Assert.Equal((16 + 4) * 1_000_000L + 10 * 2_000_000L, record.CostNanos);
    }

    [Fact]
    public async Task OpenAICompatibleAlias_Stream_IsTranslatedToAnthropicEvents()
    {
        var (response, body) = await PostAsync("v1/messages",
            """{"model":"oac/plain-model","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"oac-stream"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Sent("/v1/chat/completions", "oac-stream");
        Assert.Equal(
            """{"model":"plain-model","messages":[{"role":"user","content":"oac-stream"}],"max_tokens":100,"stream":true,"stream_options":{"include_usage":true}}""",
            sent.BodyText);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            EventNames(body));
        var record = Record("plain-model", r => r.Endpoint == "messages");
        Assert.Equal(("provider", "oac", 16L, 10L), (record.Source, record.ProviderName, record.InputTokens, record.OutputTokens));
    }

    [Fact]
    public async Task OpenAIResponsesAlias_TranslatesToResponsesAndBack()
    {
        var (response, body) = await PostAsync("v1/messages",
            """{"model":"ors/resp-model","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"ors-stream"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Sent("/v1/responses", "ors-stream");
        Assert.Equal("Bearer sk-ors", sent.Header("authorization"));
        using (var doc = sent.Json())
        {
            Assert.Equal("resp-model", doc.RootElement.GetProperty("model").GetString());
            Assert.True(doc.RootElement.GetProperty("stream").GetBoolean());
        }
        var names = EventNames(body);
        Assert.Equal("message_start", names[0]);
        Assert.Equal("message_stop", names[^1]);
        Assert.StartsWith("Hello from resp-model", TextOf(body));
        var record = Record("resp-model", r => r.Endpoint == "messages");
        Assert.Equal(("provider", "ors", 16L, 10L, 4L), (record.Source, record.ProviderName, record.InputTokens, record.OutputTokens, record.CacheReadInputTokens));
    }

    [Fact]
    public async Task ChatAlias_GoesToTheOpenAICompatibleProvider_WithOptions()
    {
        var (response, body) = await PostAsync("v1/chat/completions",
            """{"model":"oac/qwen-test","temperature":0.9,"messages":[{"role":"user","content":"chat-alias"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Sent("/v1/chat/completions", "chat-alias");
        Assert.Equal(
            """{"model":"qwen-test","temperature":0.9,"messages":[{"role":"user","content":"chat-alias"}],"top_k":20,"enable_thinking":false,"max_tokens":1,"seed":7}""",
            sent.BodyText);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("chat.completion", doc.RootElement.GetProperty("object").GetString());
        var record = Record("qwen-test", r => r.Endpoint == "chat_completions");
        Assert.Equal(("provider", "oac"), (record.Source, record.ProviderName));
    }

    [Fact]
    public async Task ChatAlias_ToAnAnthropicProvider_Is400()
    {
        var (response, body) = await PostAsync("v1/chat/completions", """{"model":"anth/x","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            """{"error":{"message":"Provider 'anth' model 'x' (type anthropic) is not served on /v1/chat/completions; it needs type openai-compatible.","type":"invalid_request_error","param":null,"code":null}}""",
            body);
    }

    [Fact]
    public async Task ResponsesAlias_AndProviderRoute_GoToTheOpenAIResponsesProvider()
    {
        var (viaAlias, aliasBody) = await PostAsync("v1/responses", """{"model":"ors/r1","input":"responses-alias"}""");
        Assert.Equal(HttpStatusCode.OK, viaAlias.StatusCode);
        Assert.Equal("""{"model":"r1","input":"responses-alias"}""", Sent("/v1/responses", "responses-alias").BodyText);
        Assert.Contains("Hello from r1", aliasBody);

        var (viaRoute, _) = await PostAsync("ors/v1/responses", """{"model":"r2","input":"responses-route"}""");
        Assert.Equal(HttpStatusCode.OK, viaRoute.StatusCode);
        Assert.Equal("""{"model":"r2","input":"responses-route"}""", Sent("/v1/responses", "responses-route").BodyText);
        var record = Record("r2");
        Assert.Equal(("provider", "ors", "responses", 16L, 10L), (record.Source, record.ProviderName, record.Endpoint, record.InputTokens, record.OutputTokens));

        var (wrongType, wrongBody) = await PostAsync("v1/responses", """{"model":"oac/qwen-test","input":"x"}""");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("it needs type openai-responses", wrongBody);
    }

    [Fact]
    public async Task EmbeddingsAlias_GoesToTheProvider()
    {
        var (response, _) = await PostAsync("v1/embeddings", """{"model":"oac/embed-1","input":"embed-alias"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Sent("/v1/embeddings", "embed-alias");
        Assert.Equal("""{"model":"embed-1","input":"embed-alias"}""", sent.BodyText);
        Assert.Equal("Bearer sk-oac", sent.Header("authorization"));
    }

    [Fact]
    public async Task ProviderModels_AreTheUpstreamListAsIs()
    {
        using var direct = new HttpRequestMessage(HttpMethod.Get, fixture.Upstream.Url("/v1/models"));
        direct.Headers.TryAddWithoutValidation("x-api-key", "sk-anth");
        using var upstream = new HttpClient();
        using var expected = await upstream.SendAsync(direct);
        var expectedBody = await expected.Content.ReadAsStringAsync();

        foreach (var path in new[] { "anth/v1/models", "anth/models" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("x-api-key", ProvidersFixture.Key);
            using var response = await fixture.Gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expectedBody, await response.Content.ReadAsStringAsync());
        }
        var sent = fixture.Upstream.RequestsTo("/v1/models").Last();
        Assert.Equal("sk-anth", sent.Header("x-api-key"));
    }

    [Fact]
    public async Task CountTokens_ForProviders_IsTheLocalEstimate_WithoutAnUpstreamCall()
    {
        const string body = """{"model":"oac/qwen-test","messages":[{"role":"user","content":"count these tokens please"}]}""";
        var before = fixture.Upstream.RequestsTo("/v1/messages/count_tokens").Count;
        var (alias, aliasBody) = await PostAsync("v1/messages/count_tokens", body);
        var (route, routeBody) = await PostAsync("oac/v1/messages/count_tokens", body.Replace("oac/", ""));
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        // o200k_base: "count these tokens please" is 4 tokens; 3 per message + 1 for the role + 3 reply priming.
        Assert.Equal("""{"input_tokens":11}""", aliasBody);
        Assert.Equal(aliasBody, routeBody);
        Assert.Equal(before, fixture.Upstream.RequestsTo("/v1/messages/count_tokens").Count);
    }

    [Theory]
    [InlineData("v1/messages", """{"model":"nope/m","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""",
        """{"type":"error","error":{"type":"not_found_error","message":"Unknown or disabled provider 'nope'."}}""")]
    [InlineData("off/v1/messages", """{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""",
        """{"type":"error","error":{"type":"not_found_error","message":"Unknown or disabled provider 'off'."}}""")]
    [InlineData("v1/chat/completions", """{"model":"off/m","messages":[{"role":"user","content":"x"}]}""",
        """{"error":{"message":"Unknown or disabled provider 'off'.","type":"invalid_request_error","param":null,"code":null}}""")]
    [InlineData("nope/v1/responses", """{"model":"m","input":"x"}""",
        """{"error":{"message":"Unknown or disabled provider 'nope'.","type":"invalid_request_error","param":null,"code":null}}""")]
    public async Task UnknownOrDisabledProvider_Is404InTheRouteDialect(string path, string body, string expected)
    {
        var (response, text) = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task UpstreamErrors_PassThroughWithStatusAndBody()
    {
        var (serverError, serverBody) = await PostAsync("v1/messages",
            """{"model":"anth/fault-500","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.InternalServerError, serverError.StatusCode);
        // The fake's OpenAI-shaped body is not Anthropic's: it is wrapped (SPEC §17).
        Assert.Equal(
            """{"type":"error","error":{"type":"api_error","message":"{\"error\":{\"message\":\"fake upstream fault 500\",\"type\":\"fake_fault\"}}"}}""",
            serverBody);

        var (limited, limitedBody) = await PostAsync("v1/chat/completions", """{"model":"lim/fault-429","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("""{"error":{"message":"Sorry, you have exceeded your rate limit.","code":"rate_limited"}}""", limitedBody);
        Assert.Equal("7", limited.Headers.GetValues("retry-after").Single());
        Assert.Equal("0", limited.Headers.GetValues("x-ratelimit-remaining").Single());
        var record = Record("fault-429");
        Assert.Equal(("provider", "lim", 429), (record.Source, record.ProviderName, record.Status));
    }

    [Fact]
    public async Task TenantLimitedToOtherProviders_Gets403InTheRouteDialect()
    {
        var client = fixture.Gateway.Client;
        var tenant = await Admin.AdminClient.JsonAsync(client, HttpMethod.Post, "/admin/tenants", ProvidersFixture.AdminKey,
            """{"id":"only-ors","name":"Only ors","allowedProviders":["ors"]}""", HttpStatusCode.Created);
        var key = (await Admin.AdminClient.JsonAsync(client, HttpMethod.Post, $"/admin/tenants/{tenant.GetProperty("id").GetString()}/keys",
            ProvidersFixture.AdminKey, """{"name":"ci"}""", HttpStatusCode.Created)).GetProperty("key").GetString()!;

        var (messages, messagesBody) = await PostAsync("v1/messages",
            """{"model":"anth/m","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""", key);
        Assert.Equal(HttpStatusCode.Forbidden, messages.StatusCode);
        Assert.Equal("""{"type":"error","error":{"type":"permission_error","message":"This API key may not use provider 'anth'."}}""", messagesBody);

        var (chat, chatBody) = await PostAsync("v1/chat/completions", """{"model":"oac/m","messages":[{"role":"user","content":"x"}]}""", key);
        Assert.Equal(HttpStatusCode.Forbidden, chat.StatusCode);
        Assert.Equal("""{"error":{"message":"This API key may not use provider 'oac'.","type":"permission_error","param":null,"code":null}}""", chatBody);

        var (allowed, _) = await PostAsync("ors/v1/responses", """{"model":"r3","input":"allowed-tenant"}""", key);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
