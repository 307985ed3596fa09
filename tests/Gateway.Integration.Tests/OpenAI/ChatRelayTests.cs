using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.OpenAI;

/// <summary>Raw HTTP through the gateway: headers sent upstream, errors, faults and disconnects (SPEC §2.4, §11.1, §17).</summary>
public sealed class ChatRelayTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private HttpClient Client => fixture.Gateway.Client;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(HttpResponseMessage Response, string Body)> PostAsync(string path, string body)
    {
        var response = await Client.PostAsync(path, Json(body));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chat_SendsTheFullCopilotHeaderSet()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = Json("""{"model":"gpt-4.1","messages":[{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}"""),
        };
        request.Headers.Add("x-session-id", "session-abc");
        request.Headers.Add("x-api-key", "client-secret-must-not-leak");
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = fixture.Upstream.RequestsTo("/chat/completions").Last();
        Assert.StartsWith("Bearer tid=", sent.Header("authorization"));
        Assert.Equal("vscode-chat", sent.Header("copilot-integration-id"));
        Assert.Equal("vscode/1.104.3", sent.Header("editor-version"));
        Assert.Equal("copilot-chat/0.50.1", sent.Header("editor-plugin-version"));
        Assert.Equal("GitHubCopilotChat/0.50.1", sent.Header("user-agent"));
        Assert.Equal("conversation-agent", sent.Header("openai-intent"));
        Assert.Equal("conversation-agent", sent.Header("x-interaction-type"));
        Assert.Equal("2026-06-01", sent.Header("x-github-api-version"));
        Assert.Equal("electron-fetch", sent.Header("x-vscode-user-agent-library-version"));
        Assert.Equal("user", sent.Header("x-initiator"));
        Assert.Equal("true", sent.Header("copilot-vision-request"));
        Assert.True(Guid.TryParse(sent.Header("x-request-id"), out _));
        Assert.Equal(sent.Header("x-request-id"), sent.Header("x-agent-task-id"));
        Assert.Equal(Gateway.Api.Messages.RootSession.DeriveUuid("session-abc"), sent.Header("x-interaction-id"));
        Assert.Matches("^[0-9a-f]{64}$", sent.Header("vscode-machineid")!);
        Assert.Matches("^[0-9a-f-]{36}[0-9]{13}$", sent.Header("vscode-sessionid")!);
        Assert.True(Guid.TryParse(sent.Header("editor-device-id"), out _));
        Assert.Null(sent.Header("x-api-key"));
        Assert.DoesNotContain("client-secret-must-not-leak", string.Join("|", sent.Headers.Values));
    }

    [Fact]
    public async Task MissingMaxTokens_IsFilledFromTheCatalogue_AndGpt5MiniGetsItsEffort()
    {
        await PostAsync("v1/chat/completions", """{"model":"gpt-5-mini","messages":[{"role":"user","content":"hi"}]}""");
        using var sent = fixture.Upstream.RequestsTo("/chat/completions").Last().Json();
        var expectedMax = FakeModelCatalogue.Gpt5Mini.MaxOutputTokens;
        Assert.Equal(expectedMax, sent.RootElement.GetProperty("max_tokens").GetInt64());
        Assert.Equal("low", sent.RootElement.GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public async Task BareRoute_WorksLikeV1()
    {
        var (response, body) = await PostAsync("chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"bare"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("chat.completion", body);
    }

    [Theory]
    [InlineData("{not json", "Request body is not valid JSON")]
    [InlineData("""{"messages":[]}""", "'model' is required.")]
    [InlineData("""{"model":"gpt-4.1"}""", "'messages' is required and must be an array.")]
    [InlineData("""[1]""", "Request body is not valid JSON")]
    public async Task BadBodies_Get400InOpenAIShape(string body, string message)
    {
        var (response, text) = await PostAsync("v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(text);
        var error = doc.RootElement.GetProperty("error");
        Assert.StartsWith(message, error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Fact]
    public async Task Upstream500WithTextBody_IsWrappedInOpenAIShape()
    {
        fixture.Upstream.EnqueueFault("/chat/completions", Fault.Status(500, "upstream exploded"));
        var (response, body) = await PostAsync("v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("upstream exploded", error.GetProperty("message").GetString());
        Assert.Equal("error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Upstream401_RefreshesTheTokenOnceAndRetries()
    {
        var exchanges = fixture.Upstream.State.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken);
        fixture.Upstream.State.ExpireCopilotTokens();
        var (response, _) = await PostAsync("v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"after expiry"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(exchanges + 1, fixture.Upstream.State.TokenExchangeCount(FakeUpstreamState.DefaultGitHubToken));
        var attempts = fixture.Upstream.RequestsTo("/chat/completions").Where(r => r.BodyText.Contains("after expiry")).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.NotEqual(attempts[0].Header("authorization"), attempts[1].Header("authorization"));
    }

    [Fact]
    public async Task StreamMidwayDrop_EndsWithAnOpenAIErrorEvent()
    {
        // A pause between events lets the first ones reach the gateway before the upstream resets the connection
        // (a TCP reset may discard bytes not yet read).
        fixture.Upstream.State.ChunkDelay = TimeSpan.FromMilliseconds(100);
        try
        {
            var (response, body) = await PostAsync("v1/chat/completions", """{"model":"fault-drop-2","stream":true,"messages":[{"role":"user","content":"x"}]}""");
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.True(events.Length >= 2, body);
            Assert.StartsWith("data: {\"id\"", events[0]);
            Assert.StartsWith("data: {\"error\":{\"message\":\"Upstream stream failed", events[^1]);
        }
        finally
        {
            fixture.Upstream.State.ChunkDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Stream_HasSseHeadersAndEndsWithDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = Json("""{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"x"}]}"""),
        };
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("no", response.Headers.GetValues("x-accel-buffering").Single());
        Assert.True(response.Headers.CacheControl!.NoCache);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task ClientDisconnect_CancelsTheUpstreamRequest()
    {
        using var cts = new CancellationTokenSource();
        var send = Client.PostAsync("v1/chat/completions", Json("""{"model":"fault-hang","stream":true,"messages":[{"role":"user","content":"hang"}]}"""), cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!fixture.Upstream.RequestsTo("/chat/completions").Any(r => r.BodyText.Contains("fault-hang")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        var aborted = await fixture.Upstream.WaitForAbortAsync("/chat/completions", TimeSpan.FromSeconds(10));
        Assert.Contains("fault-hang", aborted.BodyText);
    }

    [Fact]
    public async Task ProviderAlias_ForUnknownProvider_Is404()
    {
        var (response, body) = await PostAsync("v1/chat/completions", """{"model":"nope/some-model","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Unknown or disabled provider 'nope'", body);
    }

    [Fact]
    public async Task CopilotQuota_IsPassedThrough()
    {
        using var response = await Client.GetAsync("usage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("octocat", doc.RootElement.GetProperty("login").GetString());
        Assert.True(doc.RootElement.GetProperty("quota_snapshots").TryGetProperty("premium_interactions", out _));
    }

    [Fact]
    public async Task RootHealthTraceAndCors_Behave()
    {
        using var root = await Client.GetAsync("");
        Assert.Equal("Server running", await root.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", root.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("healthz/ready")).StatusCode);

        using var traced = new HttpRequestMessage(HttpMethod.Get, "");
        traced.Headers.Add("x-trace-id", "trace.abc-1");
        Assert.Equal("trace.abc-1", (await Client.SendAsync(traced)).Headers.GetValues("x-trace-id").Single());
        using var badTrace = new HttpRequestMessage(HttpMethod.Get, "");
        badTrace.Headers.Add("x-trace-id", "bad trace!");
        Assert.NotEqual("bad trace!", (await Client.SendAsync(badTrace)).Headers.GetValues("x-trace-id").Single());

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        preflight.Headers.Add("Origin", "http://localhost:3000");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var answer = await Client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("http://localhost:3000", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var foreign = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        foreign.Headers.Add("Origin", "https://evil.example");
        Assert.False((await Client.SendAsync(foreign)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}
