using System.Text.Json;
using Gateway.Testing.FakeUpstream;
using static Gateway.Api.Tests.FakeUpstream.FakeUpstreamTestKit;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>Chat Completions answers, JSON and SSE, in Copilot's shape (SPEC §5–§7 read them).</summary>
public sealed class FakeChatCompletionsTests
{
    /// <summary>Every chunk's opening up to <c>choices</c>.</summary>
    private const string Envelope = """{"id":"chatcmpl-fake1","object":"chat.completion.chunk","created":1800000000,"model":"gpt-4.1",""";
    private const string Usage = """{"prompt_tokens":20,"completion_tokens":10,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":4}}""";

    [Fact]
    public async Task NonStreaming_AnswersChatCompletionWithUsage()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        var token = await fake.CopilotTokenAsync();

        var (status, contentType, body) = await fake.SendAsync(Post("/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", token));

        Assert.Equal(200, status);
        Assert.Equal("application/json", contentType);
        AssertJson(
            $$"""
            {
              "id": "chatcmpl-fake1", "object": "chat.completion", "created": 1800000000, "model": "gpt-4.1",
              "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello from gpt-4.1 #1"}, "finish_reason": "stop"}],
              "usage": {{Usage}}
            }
            """,
            body);
        Assert.Equal(1, fake.State.GenerationCount);
    }

    [Fact]
    public async Task Streaming_SendsRoleContentFinishUsageThenDone()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        var token = await fake.CopilotTokenAsync();

        var (status, contentType, body) = await fake.SendAsync(Post(
            "/chat/completions",
            """{"model":"gpt-4.1","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""",
            token));

        Assert.Equal(200, status);
        Assert.Equal("text/event-stream", contentType);
        var expected =
            $$"""data: {{Envelope}}"choices":[{"index":0,"delta":{"role":"assistant","content":null},"finish_reason":null}]}""" + "\n\n" +
            $$"""data: {{Envelope}}"choices":[{"index":0,"delta":{"content":"Hello f"},"finish_reason":null}]}""" + "\n\n" +
            $$"""data: {{Envelope}}"choices":[{"index":0,"delta":{"content":"rom gpt"},"finish_reason":null}]}""" + "\n\n" +
            $$"""data: {{Envelope}}"choices":[{"index":0,"delta":{"content":"-4.1 #1"},"finish_reason":null}]}""" + "\n\n" +
            $$"""data: {{Envelope}}"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n" +
            $$"""data: {{Envelope}}"choices":[],"usage":{{Usage}}}""" + "\n\n" +
            "data: [DONE]\n\n";
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task StreamingWithoutIncludeUsage_HasNoUsageChunk()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.State.ContentChunks = 1;

        var (_, _, body) = await fake.SendAsync(Post("/chat/completions", """{"model":"gpt-4.1","stream":true,"messages":[]}"""));

        var events = ParseSse(body);
        Assert.Equal(4, events.Count);
        Assert.DoesNotContain(events, e => e.Data.Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [Fact]
    public async Task StreamingWithToolsAndReasoning_SendsCopilotReasoningThenSplitToolCall()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.State.ContentChunks = 2;
        fake.State.Reasoning = FakeReasoning.Always;

        var (_, _, body) = await fake.SendAsync(Post(
            "/chat/completions",
            """{"model":"gpt-4.1","stream":true,"messages":[],"tools":[{"type":"function","function":{"name":"read_file","parameters":{}}},{"type":"function","function":{"name":"other"}}]}"""));

        var chunks = ParseSse(body).SkipLast(1).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices")[0]).ToArray();
        Assert.Equal(
            [
                """{"role":"assistant","content":null}""",
                """{"content":null,"reasoning_text":"Thinking abou"}""",
                """{"content":null,"reasoning_text":"t gpt-4.1 #1."}""",
                """{"content":"","reasoning_opaque":"opaque_fake_1"}""",
                """{"tool_calls":[{"index":0,"id":"call_fake1","type":"function","function":{"name":"read_file","arguments":""}}]}""",
                """{"tool_calls":[{"index":0,"function":{"arguments":"{\"path\":\"R"}}]}""",
                """{"tool_calls":[{"index":0,"function":{"arguments":"EADME.md\"}"}}]}""",
                "{}",
            ],
            chunks.Select(c => c.GetProperty("delta").GetRawText()));
        Assert.Equal("tool_calls", chunks[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task NonStreamingWithToolsAndThinkingBudget_AnswersToolCallAndReasoning()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;

        var (_, _, body) = await fake.SendAsync(Post(
            "/chat/completions",
            """{"model":"claude-sonnet-4.5","thinking_budget":2048,"messages":[],"tools":[{"type":"function","function":{"name":"read_file"}}]}"""));

        using var json = JsonDocument.Parse(body);
        var choice = json.RootElement.GetProperty("choices")[0];
        AssertJson(
            """
            {
              "role": "assistant", "content": null,
              "reasoning_text": "Thinking about claude-sonnet-4.5 #1.", "reasoning_opaque": "opaque_fake_1",
              "tool_calls": [{"id": "call_fake1", "type": "function", "function": {"name": "read_file", "arguments": "{\"path\":\"README.md\"}"}}]
            }
            """,
            choice.GetProperty("message").GetRawText());
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ToolChoiceNone_AnswersTextAndReplyTextKnobOverridesIt()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.State.ReplyText = "Fixed reply";
        fake.State.Usage = new FakeUsage(InputTokens: 100, OutputTokens: 7, CachedTokens: 60);

        var (_, _, body) = await fake.SendAsync(Post(
            "/v1/chat/completions",
            """{"model":"gpt-4.1","tool_choice":"none","messages":[],"tools":[{"type":"function","function":{"name":"read_file"}}]}""",
            "sk-provider"));

        using var json = JsonDocument.Parse(body);
        Assert.Equal("Fixed reply", json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        AssertJson(
            """{"prompt_tokens":100,"completion_tokens":7,"total_tokens":107,"prompt_tokens_details":{"cached_tokens":60}}""",
            json.RootElement.GetProperty("usage").GetRawText());
    }

    [Fact]
    public async Task ReplyCounter_NumbersEachGenerationRequest()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;

        var texts = new List<string?>();
        foreach (var model in new[] { "gpt-4.1", "gpt-5-mini" })
        {
            var (_, _, body) = await fake.SendAsync(Post("/chat/completions", $$"""{"model":"{{model}}","messages":[]}"""));
            texts.Add(JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        Assert.Equal([FakeReply.Text("gpt-4.1", 1), FakeReply.Text("gpt-5-mini", 2)], texts);
        Assert.Equal(["Hello from gpt-4.1 #1", "Hello from gpt-5-mini #2"], texts);
    }

    [Fact]
    public async Task ConcurrentStreams_EachGetItsOwnNumberedReply()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync(o => o.RecordRequests = false);
        fake.State.RequireValidCopilotToken = false;

        var bodies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            fake.SendAsync(Post("/chat/completions", """{"model":"gpt-4.1","stream":true,"messages":[]}"""))));

        var texts = bodies.Select(b => string.Concat(ParseSse(b.Body).SkipLast(1)
            .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
            .Select(d => d.GetProperty("content").GetString())));
        Assert.Equal(
            Enumerable.Range(1, 20).Select(n => $"Hello from gpt-4.1 #{n}").Order(StringComparer.Ordinal),
            texts.Order(StringComparer.Ordinal));
    }
}
