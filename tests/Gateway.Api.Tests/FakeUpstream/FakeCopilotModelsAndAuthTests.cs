using System.Text.Json;
using Gateway.Testing.FakeUpstream;
using static Gateway.Api.Tests.FakeUpstream.FakeUpstreamTestKit;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>The Copilot catalogue (SPEC §2.5), Copilot token checks and the provider-side auth and lists.</summary>
public sealed class FakeCopilotModelsAndAuthTests
{
    private const string ChatRequest = """{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task Models_ListsDefaultCatalogueInCopilotShape()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        var token = await fake.CopilotTokenAsync();

        var (status, _, body) = await fake.SendAsync(Get("/models", "Bearer " + token));

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("list", json.RootElement.GetProperty("object").GetString());
        var models = json.RootElement.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(
            ["claude-sonnet-4.5", "claude-opus-4.7", "gpt-4.1", "gpt-5-mini", "gpt-5.4", "gpt-6-luna", "text-embedding-3-small", "grok-code-fast-1", "gpt-4o-mini"],
            models.Select(m => m.GetProperty("id").GetString()));
        AssertJson(
            """
            {
              "capabilities": {
                "family": "claude-opus-4.7",
                "limits": {
                  "max_context_window_tokens": 200000, "max_output_tokens": 32000, "max_prompt_tokens": 168000,
                  "vision": {"max_prompt_image_size": 3145728, "max_prompt_images": 1, "supported_media_types": ["image/jpeg", "image/png", "image/webp", "image/gif"]}
                },
                "object": "model_capabilities",
                "supports": {
                  "tool_calls": true, "vision": true, "streaming": true, "parallel_tool_calls": true, "adaptive_thinking": true,
                  "reasoning_effort": ["low", "medium", "high", "max"], "min_thinking_budget": 1024, "max_thinking_budget": 32000
                },
                "tokenizer": "o200k_base",
                "type": "chat"
              },
              "id": "claude-opus-4.7",
              "model_picker_enabled": true,
              "name": "Claude Opus 4.7",
              "object": "model",
              "policy": {"state": "enabled", "terms": "Enable access to Claude Opus 4.7."},
              "preview": false,
              "supported_endpoints": ["/v1/messages"],
              "vendor": "Anthropic",
              "version": "claude-opus-4.7"
            }
            """,
            models[1].GetRawText());
        Assert.Equal("disabled", models[7].GetProperty("policy").GetProperty("state").GetString());
        Assert.False(models[8].GetProperty("model_picker_enabled").GetBoolean());
        Assert.Equal("embeddings", models[6].GetProperty("capabilities").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Models_ReplacedCatalogueIsServedOnBothLists()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync(o => o.RecordRequests = false);
        fake.State.RequireValidCopilotToken = false;
        fake.State.Models = [new FakeModel { Id = "only-model", Vendor = "Acme", SupportedEndpoints = ["/responses"] }];

        var copilot = await fake.SendAsync(Get("/models"));
        var provider = await fake.SendAsync(Get("/v1/models", "Bearer sk-any"));

        using var json = JsonDocument.Parse(copilot.Body);
        var model = Assert.Single(json.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(["/responses"], model.GetProperty("supported_endpoints").EnumerateArray().Select(e => e.GetString()));
        AssertJson("""{"object":"list","data":[{"id":"only-model","object":"model","created":1700000000,"owned_by":"Acme"}]}""", provider.Body);
    }

    [Fact]
    public async Task CopilotEndpoint_UnknownOrExpiredTokenIs401UntilNextExchange()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        var token = await fake.CopilotTokenAsync();

        var valid = await fake.SendAsync(Post("/chat/completions", ChatRequest, token));
        var unknown = await fake.SendAsync(Post("/chat/completions", ChatRequest, "tid=forged"));
        var missing = await fake.SendAsync(Post("/chat/completions", ChatRequest));
        fake.Clock.Advance(TimeSpan.FromSeconds(1800));
        var expired = await fake.SendAsync(Post("/chat/completions", ChatRequest, token));
        var refreshed = await fake.SendAsync(Post("/chat/completions", ChatRequest, await fake.CopilotTokenAsync()));

        Assert.Equal(200, valid.Status);
        Assert.Equal(401, unknown.Status);
        AssertJson("""{"error":{"message":"unauthorized"}}""", unknown.Body);
        Assert.Equal(401, missing.Status);
        Assert.Equal(401, expired.Status);
        AssertJson("""{"error":{"message":"unauthorized"}}""", expired.Body);
        Assert.Equal(200, refreshed.Status);
    }

    [Fact]
    public async Task ExpireCopilotTokens_MakesIssuedTokensInvalid()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        var token = await fake.CopilotTokenAsync();

        fake.State.ExpireCopilotTokens();
        var (status, _, _) = await fake.SendAsync(Post("/v1/messages", """{"model":"claude-sonnet-4.5","max_tokens":10,"messages":[]}""", token));

        Assert.Equal(401, status);
        Assert.False(fake.State.IsValidCopilotToken(token));
    }

    [Fact]
    public async Task RequireValidCopilotTokenOff_AcceptsAnyCaller()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;

        var (status, _, _) = await fake.SendAsync(Post("/chat/completions", ChatRequest));

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task ProviderEndpoints_CheckRegisteredKeysInEachDialect()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        var anyKey = await fake.SendAsync(Post("/v1/chat/completions", ChatRequest, "sk-whatever"));
        var noKey = await fake.SendAsync(Post("/v1/chat/completions", ChatRequest));

        fake.State.AddProviderApiKey("sk-right");
        var wrongKey = await fake.SendAsync(Post("/v1/chat/completions", ChatRequest, "sk-wrong"));
        var rightKey = await fake.SendAsync(Post("/v1/chat/completions", ChatRequest, "sk-right"));
        using var anthropic = Post("/v1/messages", """{"model":"claude-sonnet-4.5","max_tokens":10,"messages":[]}""");
        anthropic.Headers.Add("x-api-key", "sk-wrong");
        var anthropicWrong = await fake.SendAsync(anthropic);
        using var count = Post("/v1/messages/count_tokens", """{"model":"claude-sonnet-4.5","messages":[]}""");
        count.Headers.Add("x-api-key", "sk-right");
        var countTokens = await fake.SendAsync(count);

        Assert.Equal(200, anyKey.Status);
        Assert.Equal(401, noKey.Status);
        Assert.Equal(401, wrongKey.Status);
        AssertJson("""{"error":{"message":"Invalid API key.","type":"invalid_request_error","param":null,"code":null}}""", wrongKey.Body);
        Assert.Equal(200, rightKey.Status);
        Assert.Equal(401, anthropicWrong.Status);
        AssertJson("""{"type":"error","error":{"type":"authentication_error","message":"Invalid API key."}}""", anthropicWrong.Body);
        AssertJson("""{"input_tokens":42}""", countTokens.Body);
    }

    [Fact]
    public async Task BadRequests_AnswerInTheRouteDialect()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;

        var notJson = await fake.SendAsync(Post("/chat/completions", "{nope"));
        var noModel = await fake.SendAsync(Post("/v1/messages", """{"messages":[]}"""));
        var noRoute = await fake.SendAsync(Get("/nowhere"));
        var wrongMethod = await fake.SendAsync(Get("/chat/completions"));

        Assert.Equal(400, notJson.Status);
        Assert.Equal("invalid_request_error", JsonDocument.Parse(notJson.Body).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(400, noModel.Status);
        AssertJson("""{"type":"error","error":{"type":"invalid_request_error","message":"'model' is required."}}""", noModel.Body);
        Assert.Equal(404, noRoute.Status);
        Assert.Equal(405, wrongMethod.Status);
        Assert.Equal(["/chat/completions", "/v1/messages", "/nowhere", "/chat/completions"], fake.Server.Requests.Select(r => r.Path));
    }
}
