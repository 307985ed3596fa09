using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Usage;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Responses;

/// <summary>
/// Raw HTTP through <c>POST /v1/responses</c> to the fake Copilot upstream: the body sent upstream, the headers, the
/// relayed answer and stream, retries, errors and the usage record (SPEC §2.4, §4.4, §11.2, §15.2, §17).
/// </summary>
public sealed class ResponsesRelayTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private HttpClient Client => fixture.Gateway.Client;

    private FakeUpstreamServer Upstream => fixture.Upstream;

    private IReadOnlyCollection<UsageRecord> Records
        => fixture.Gateway.Services.GetServices<IUsageRecorder>().OfType<RecentUsageRecorder>().Single().Records;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(HttpResponseMessage Response, string Body, RecordedRequest? Sent, string Marker)> PostAsync(
        string body, string path = "v1/responses", Action<HttpRequestHeaders>? headers = null)
    {
        // A marker in the body finds this request among those the shared fixture's upstream recorded.
        var marker = Guid.NewGuid().ToString("N");
        body = body.Replace("MARKER", marker, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        headers?.Invoke(request.Headers);
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text, Upstream.RequestsTo("/responses").LastOrDefault(r => r.BodyText.Contains(marker, StringComparison.Ordinal)), marker);
    }

    private async Task<UsageRecord> RecordForAsync(string trace)
    {
        // The record is written when the request pipeline unwinds, just after the response completes.
        for (var i = 0; i < 100; i++)
        {
            if (Records.SingleOrDefault(r => r.TraceId == trace) is { } record)
            {
                return record;
            }
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"No usage record for trace {trace}.");
    }

    /// <summary>The <c>n</c> of the fake's <c>resp_fake&lt;n&gt;</c> id, so expected ids and texts can be named.</summary>
    private static long GenerationOf(string responseId) => long.Parse(responseId["resp_fake".Length..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The SSE events of a body: (event name, data JSON) in order.</summary>
    private static List<(string Name, JsonElement Data)> Events(string body)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            events.Add((name, JsonDocument.Parse(data).RootElement.Clone()));
        }
        return events;
    }

    [Fact]
    public async Task NonStream_BodyNoRuleTouches_GoesUpstreamByteForByte_AndTheAnswerComesBackAsItCame()
    {
        var body = """
            {"model":"gpt-5.4","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"MARKER"}]}],
             "reasoning":{"effort":"low"},"store":false}
            """;

        var (response, text, sent, marker) = await PostAsync(body, headers: h =>
        {
            h.Add("session_id", "codex-session-1");
            h.Add("x-api-key", "client-secret-must-not-leak");
        });

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.NotNull(sent);
        Assert.Equal(Encoding.UTF8.GetBytes(body.Replace("MARKER", marker, StringComparison.Ordinal)), sent.Body.ToArray());
        using var answer = JsonDocument.Parse(text);
        var root = answer.RootElement;
        var n = GenerationOf(root.GetProperty("id").GetString()!);
        Assert.Equal("response", root.GetProperty("object").GetString());
        Assert.Equal("completed", root.GetProperty("status").GetString());
        var output = root.GetProperty("output");
        Assert.Equal(["reasoning", "message"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()!));
        Assert.Equal(FakeReply.Text("gpt-5.4", n), output[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(20, root.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);

        Assert.StartsWith("Bearer tid=", sent.Header("authorization"));
        Assert.Equal("vscode-chat", sent.Header("copilot-integration-id"));
        Assert.Equal("conversation-agent", sent.Header("openai-intent"));
        Assert.Equal("conversation-agent", sent.Header("x-interaction-type"));
        Assert.Equal("user", sent.Header("x-initiator"));
        Assert.Equal(Gateway.Api.Messages.RootSession.DeriveUuid("codex-session-1"), sent.Header("x-interaction-id"));
        Assert.True(Guid.TryParse(sent.Header("x-request-id"), out _));
        Assert.Equal(sent.Header("x-request-id"), sent.Header("x-agent-task-id"));
        Assert.Equal("2026-06-01", sent.Header("x-github-api-version"));
        Assert.Null(sent.Header("copilot-vision-request"));
        Assert.Null(sent.Header("x-api-key"));
        Assert.DoesNotContain("client-secret-must-not-leak", string.Join("|", sent.Headers.Values));
    }

    [Fact]
    public async Task NonStream_SanitisedBody_IsSentWithExactlyTheSpecEdits()
    {
        var (response, text, sent, marker) = await PostAsync("""
            {"model":"gpt-5-4","service_tier":"priority","reasoning":{"effort":"max"},
             "tools":[{"type":"web_search"},{"type":"custom","name":"apply_patch","description":"Patch files."}],
             "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"MARKER"},{"type":"input_image","image_url":"https://example.test/a.png","detail":"original"}],"internal_chat_message_metadata_passthrough":{"turn":1}},
                      {"type":"custom_tool_call","call_id":"call_7","name":"apply_patch","input":"*** Begin Patch"},
                      {"type":"custom_tool_call_output","call_id":"call_7","output":"ok"}]}
            """);

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.NotNull(sent);
        Assert.Equal($$$"""
            {"model":"gpt-5.4","service_tier":null,"reasoning":{"effort":"xhigh"},
             "tools":[{"type":"web_search"},{"type":"function","name":"apply_patch","description":"Patch files.","parameters":{"type":"object","properties":{"input":{"type":"string"}},"required":["input"],"additionalProperties":false},"strict":false}],
             "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"{{{marker}}}"},{"type":"input_image","image_url":"https://example.test/a.png","detail":"auto"}]},
                      {"type":"function_call","call_id":"call_7","name":"apply_patch","arguments":"{\"input\":\"*** Begin Patch\"}"},
                      {"type":"function_call_output","call_id":"call_7","output":"ok"}]}
            """, sent.BodyText);
        Assert.Equal("true", sent.Header("copilot-vision-request"));
        Assert.Equal("agent", sent.Header("x-initiator"));
    }

    [Fact]
    public async Task Stream_IsRelayedEventByEvent_WithSseHeaders_AndUsageRecorded()
    {
        var (response, text, sent, _) = await PostAsync(
            """{"model":"gpt-5.4","stream":true,"input":[{"role":"user","content":"MARKER"}]}""",
            headers: h => h.Add("x-trace-id", "responses-stream-usage"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.NotNull(sent);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("no", response.Headers.GetValues("x-accel-buffering").Single());
        Assert.True(response.Headers.CacheControl!.NoCache);
        var events = Events(text);
        string[] expectedTypes =
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
            "response.content_part.done", "response.output_item.done", "response.completed",
        ];
        Assert.Equal(expectedTypes, events.Select(e => e.Name));
        Assert.Equal(expectedTypes, events.Select(e => e.Data.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, expectedTypes.Length), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        var n = GenerationOf(events[0].Data.GetProperty("response").GetProperty("id").GetString()!);
        Assert.Equal(FakeReply.Text("gpt-5.4", n), string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString())));
        Assert.Contains("\"stream\":true", sent.BodyText, StringComparison.Ordinal);

        var record = await RecordForAsync("responses-stream-usage");
        Assert.Equal("responses", record.Endpoint);
        Assert.Equal(200, record.Status);
        Assert.Equal("gpt-5.4", record.Model);
        Assert.Equal("octocat", record.Account);
        Assert.Equal("user", record.Initiator);
        Assert.Equal(16, record.InputTokens);
        Assert.Equal(10, record.OutputTokens);
        Assert.Equal(4, record.CacheReadInputTokens);
        Assert.Equal(30, record.TotalTokens);
        Assert.NotNull(record.TtftMs);
    }

    [Fact]
    public async Task NonStream_UsageRecord_HasTheUpstreamTokens()
    {
        var (response, _, _, _) = await PostAsync(
            """{"model":"gpt-5-mini","input":[{"role":"user","content":"MARKER"},{"type":"function_call_output","call_id":"c","output":"x"}]}""",
            headers: h => h.Add("x-trace-id", "responses-json-usage"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await RecordForAsync("responses-json-usage");
        Assert.Equal(("responses", 200, "gpt-5-mini", "agent"), (record.Endpoint, record.Status, record.Model, record.Initiator));
        Assert.Equal((16L, 10L, 4L, 0L, 30L), (record.InputTokens, record.OutputTokens, record.CacheReadInputTokens, record.CacheCreationInputTokens, record.TotalTokens));
    }

    [Fact]
    public async Task StreamDeltasWithAnotherItemId_AreRewrittenToTheAnnouncedId()
    {
        Upstream.State.ResponsesDeltaItemIdSuffix = "_drift";
        try
        {
            var (response, text, _, _) = await PostAsync(
                """{"model":"gpt-5.4","stream":true,"reasoning":{"effort":"high"},"tools":[{"type":"function","name":"read_file","parameters":{"type":"object"}}],"input":[{"role":"user","content":"MARKER"}]}""");

            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var events = Events(text);
            var n = GenerationOf(events[0].Data.GetProperty("response").GetProperty("id").GetString()!);
            var withItemId = events.Where(e => e.Data.TryGetProperty("item_id", out _)).ToList();
            Assert.Contains(withItemId, e => e.Name == "response.reasoning_summary_text.delta");
            Assert.Contains(withItemId, e => e.Name == "response.function_call_arguments.delta");
            Assert.All(withItemId, e => Assert.Equal(
                e.Data.GetProperty("output_index").GetInt32() == 0 ? FakeReply.ReasoningItemId(n) : FakeReply.FunctionCallItemId(n),
                e.Data.GetProperty("item_id").GetString()));
            Assert.DoesNotContain("_drift", text, StringComparison.Ordinal);
        }
        finally
        {
            Upstream.State.ResponsesDeltaItemIdSuffix = null;
        }
    }

    [Fact]
    public async Task StreamFailingBeforeItsFirstEvent_IsRetriedOnce()
    {
        Upstream.EnqueueFault("/responses", Fault.DropAfterEvents(0));
        var (response, text, sent, marker) = await PostAsync("""{"model":"gpt-5.4","stream":true,"input":[{"role":"user","content":"MARKER"}]}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var attempts = Upstream.RequestsTo("/responses").Where(r => r.BodyText.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].BodyText, attempts[1].BodyText);
        Assert.Equal("response.completed", Events(text)[^1].Name);
    }

    [Fact]
    public async Task StreamEndingBeforeItsFirstEvent_IsRetriedOnce()
    {
        Upstream.EnqueueFault("/responses", Fault.EmptyStream);
        var (response, text, _, marker) = await PostAsync("""{"model":"gpt-5.4","stream":true,"input":[{"role":"user","content":"MARKER"}]}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(2, Upstream.RequestsTo("/responses").Count(r => r.BodyText.Contains(marker, StringComparison.Ordinal)));
        Assert.Equal("response.created", Events(text)[0].Name);
        Assert.Equal("response.completed", Events(text)[^1].Name);
    }

    [Fact]
    public async Task StreamEndingBeforeItsFirstEventTwice_Gets502InOpenAIShape()
    {
        Upstream.EnqueueFault("/responses", Fault.EmptyStream, times: 2);
        var (response, text, _, marker) = await PostAsync("""{"model":"gpt-5.4","stream":true,"input":[{"role":"user","content":"MARKER"}]}""");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("""{"error":{"message":"Upstream stream ended before any event.","type":"error","param":null,"code":null}}""", text);
        Assert.Equal(2, Upstream.RequestsTo("/responses").Count(r => r.BodyText.Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StreamFailingMidway_EndsWithAnOpenAIErrorEvent()
    {
        // A pause between events lets the first ones reach the gateway before the upstream resets the connection.
        Upstream.State.ChunkDelay = TimeSpan.FromMilliseconds(100);
        Upstream.EnqueueFault("/responses", Fault.DropAfterEvents(3));
        try
        {
            var (response, text, _, _) = await PostAsync("""{"model":"gpt-5.4","stream":true,"input":[{"role":"user","content":"MARKER"}]}""");

            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var blocks = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            // The reset may discard the last event before the gateway read it; the ones relayed are the stream's start.
            var relayed = Events(string.Join("\n\n", blocks[..^1])).Select(e => e.Name).ToList();
            Assert.InRange(relayed.Count, 2, 3);
            Assert.Equal(new[] { "response.created", "response.in_progress", "response.output_item.added" }.Take(relayed.Count), relayed);
            Assert.StartsWith("data: {\"error\":{\"message\":\"Upstream stream failed", blocks[^1]);
        }
        finally
        {
            Upstream.State.ChunkDelay = TimeSpan.Zero;
        }
    }

    [Theory]
    [InlineData("gpt-4.1")]
    [InlineData("claude-sonnet-4.5")]
    [InlineData("no-such-model")]
    public async Task ModelWithoutResponsesEndpoint_Gets400NamingIt_AndNothingGoesUpstream(string model)
    {
        var (response, text, sent, _) = await PostAsync($$"""{"model":"{{model}}","input":"MARKER"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(sent);
        Assert.Equal(
            $$$"""{"error":{"message":"Model '{{{model}}}' does not support the Responses API (/responses).","type":"invalid_request_error","param":null,"code":null}}""",
            text);
    }

    [Theory]
    [InlineData("{not json", "Request body is not valid JSON")]
    [InlineData("""{"input":"x"}""", "'model' is required.")]
    [InlineData("""[1]""", "Request body is not valid JSON")]
    public async Task BadBodies_Get400InOpenAIShape(string body, string message)
    {
        var (response, text, _, _) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.StartsWith(message, error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task BareRoute_WorksLikeV1()
    {
        var (response, text, sent, _) = await PostAsync("""{"model":"gpt-6-luna","input":"MARKER"}""", path: "responses");

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.NotNull(sent);
        Assert.Equal("completed", JsonDocument.Parse(text).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ProviderAlias_ForUnknownProvider_Is404()
    {
        var (response, text, _, _) = await PostAsync("""{"model":"nope/gpt-5.4","input":"MARKER"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Unknown or disabled provider 'nope'", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream500WithTextBody_IsWrappedInOpenAIShape_AndAnOpenAIErrorPassesThrough()
    {
        Upstream.EnqueueFault("/responses", Fault.Status(500, "upstream exploded"));
        var (wrapped, wrappedText, _, _) = await PostAsync("""{"model":"gpt-5.4","input":"MARKER"}""");
        Upstream.EnqueueFault("/responses", Fault.Status(400, """{"error":{"message":"bad input item","type":"invalid_request_error","param":"input","code":"bad"}}"""));
        var (passed, passedText, _, _) = await PostAsync("""{"model":"gpt-5.4","input":"MARKER"}""");

        Assert.Equal(HttpStatusCode.InternalServerError, wrapped.StatusCode);
        Assert.Equal("""{"error":{"message":"upstream exploded","type":"error","param":null,"code":null}}""", wrappedText);
        Assert.Equal(HttpStatusCode.BadRequest, passed.StatusCode);
        Assert.Equal("""{"error":{"message":"bad input item","type":"invalid_request_error","param":"input","code":"bad"}}""", passedText);
    }
}
