using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.Messages;

/// <summary>Raw HTTP on <c>/v1/messages</c>: the event grammar, sessions and initiator, headers, errors (SPEC §3–§10, §17).</summary>
public sealed class MessagesRelayTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private async Task<(HttpResponseMessage Response, string Body)> PostAsync(string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await fixture.Gateway.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private RecordedRequest Sent(string path, string marker) => fixture.Upstream.RequestsTo(path).Last(r => r.BodyText.Contains(marker));

    private static List<(string Event, JsonElement Data)> Events(string sse)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.First(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            events.Add((name, JsonDocument.Parse(data).RootElement.Clone()));
        }
        return events;
    }

    [Fact]
    public async Task TranslatedToolStream_HasTheExactAnthropicEventGrammar()
    {
        var (response, body) = await PostAsync("""
            {"model":"gpt-4.1","max_tokens":100,"stream":true,
             "tools":[{"name":"read_file","description":"Reads","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}],
             "messages":[{"role":"user","content":"grammar check"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = Events(body);
        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event).ToArray());
        var start = events[1].Data.GetProperty("content_block");
        Assert.Equal("tool_use", start.GetProperty("type").GetString());
        Assert.Equal("read_file", start.GetProperty("name").GetString());
        Assert.Equal(0, events[1].Data.GetProperty("index").GetInt32());
        var json = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => e.Data.GetProperty("delta").GetProperty("partial_json").GetString()));
        Assert.Equal("""{"path":"README.md"}""", json);
        var delta = events.Single(e => e.Event == "message_delta").Data;
        Assert.Equal("tool_use", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(10, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(16, delta.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(4, delta.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
    }

    [Fact]
    public async Task ToolResultTurn_IsAgentInitiated_AndCarriesTheCallId()
    {
        await PostAsync("""
            {"model":"gpt-4.1","max_tokens":100,
             "messages":[{"role":"user","content":"read it"},
                         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"read_file","input":{"path":"a"}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"file body agent-turn"}]}]}
            """);
        var sent = Sent("/chat/completions", "agent-turn");
        Assert.Equal("agent", sent.Header("x-initiator"));
        using var doc = sent.Json();
        var messages = doc.RootElement.GetProperty("messages");
        Assert.Equal("tool", messages[messages.GetArrayLength() - 1].GetProperty("role").GetString());
        Assert.Equal("toolu_1", messages[messages.GetArrayLength() - 1].GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task SubagentMarker_SetsInteractionTypeAndInitiator()
    {
        await PostAsync("""
            {"model":"gpt-4.1","max_tokens":100,
             "messages":[{"role":"user","content":[{"type":"text","text":"<system-reminder>__SUBAGENT_MARKER__{\"session_id\":\"s1\",\"agent_id\":\"a1\",\"agent_type\":\"explore\"}</system-reminder>"},{"type":"text","text":"subagent-task"}]}]}
            """);
        var sent = Sent("/chat/completions", "subagent-task");
        Assert.Equal("conversation-subagent", sent.Header("x-interaction-type"));
        Assert.Equal("agent", sent.Header("x-initiator"));
    }

    [Fact]
    public async Task ClaudeCodeMetadata_UsesTheMessagesProxyHeaderSetOnNativePath()
    {
        await PostAsync("""
            {"model":"claude-sonnet-4.5","max_tokens":100,"metadata":{"user_id":"user_dev123_account_acc_session_sess-42"},
             "messages":[{"role":"user","content":"proxy-check"}]}
            """, ("user-agent", "claude-cli/2.1.3 (external, cli)"), ("anthropic-beta", "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14"));
        var sent = Sent("/v1/messages", "proxy-check");
        Assert.Equal("messages-proxy", sent.Header("x-interaction-type"));
        Assert.Equal("messages-proxy", sent.Header("openai-intent"));
        Assert.Null(sent.Header("copilot-integration-id"));
        Assert.StartsWith("vscode_claude_code/2.1.3 (external, sdk-ts, agent-sdk/", sent.Header("user-agent"));
        Assert.Equal(Gateway.Api.Messages.RootSession.DeriveUuid("sess-42"), sent.Header("x-interaction-id"));
        Assert.Equal("interleaved-thinking-2025-05-14", sent.Header("anthropic-beta"));
    }

    [Fact]
    public async Task Warmup_GoesToTheSmallModel()
    {
        await PostAsync("""
            {"model":"claude-sonnet-4.5","max_tokens":10,
             "messages":[{"role":"user","content":[{"type":"text","text":"Warmup","cache_control":{"type":"ephemeral"}}]}]}
            """);
        var sent = fixture.Upstream.Requests.Last(r => r.BodyText.Contains("Warmup"));
        using var doc = sent.Json();
        Assert.Equal("gpt-6-luna", doc.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("not json", "Request body is not valid JSON")]
    [InlineData("""{"messages":[]}""", "model: field required")]
    [InlineData("""{"model":"gpt-4.1"}""", "messages: field required")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"user","content":[{"text":"no type"}]}]}""", "messages.0.content.0: each content block")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"robot","content":"x"}]}""", "messages.0.role")]
    [InlineData("""{"model":"gpt-4.1","messages":[{"role":"user","content":42}]}""", "messages.0.content")]
    public async Task MalformedBodies_Get400InAnthropicShape(string body, string message)
    {
        var (response, text) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith(message, doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task UpstreamError_IsAnsweredInAnthropicShape()
    {
        fixture.Upstream.EnqueueFault("/chat/completions", Fault.Status(503, "busy upstream"));
        var (response, text) = await PostAsync("""{"model":"gpt-4.1","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("overloaded_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("busy upstream", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task UpstreamDropMidStream_EndsWithAnAnthropicErrorEvent()
    {
        fixture.Upstream.State.ChunkDelay = TimeSpan.FromMilliseconds(100);
        try
        {
            var (response, body) = await PostAsync("""{"model":"fault-drop-2","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}]}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var events = Events(body);
            Assert.Equal("message_start", events[0].Event);
            Assert.Equal("error", events[^1].Event);
            Assert.Equal("api_error", events[^1].Data.GetProperty("error").GetProperty("type").GetString());
        }
        finally
        {
            fixture.Upstream.State.ChunkDelay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task UnknownProviderAlias_Is404InAnthropicShape()
    {
        var (response, text) = await PostAsync("""{"model":"acme/model-x","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found_error", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("type").GetString());
    }
}
