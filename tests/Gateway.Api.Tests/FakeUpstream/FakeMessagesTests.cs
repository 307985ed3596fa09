using Gateway.Testing.FakeUpstream;
using static Gateway.Api.Tests.FakeUpstream.FakeUpstreamTestKit;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>Native Anthropic Messages answers (SPEC §8 relays them), JSON and the exact event grammar.</summary>
public sealed class FakeMessagesTests
{
    private const string MessageUsage = """{"input_tokens":16,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":10}""";

    [Fact]
    public async Task StreamingWithThinking_FollowsAnthropicEventGrammar()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.ContentChunks = 2;
        var token = await fake.CopilotTokenAsync();

        var (status, contentType, body) = await fake.SendAsync(Post(
            "/v1/messages",
            """{"model":"claude-sonnet-4.5","max_tokens":4096,"stream":true,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"hi"}]}""",
            token));

        Assert.Equal(200, status);
        Assert.Equal("text/event-stream", contentType);
        (string, string)[] expected =
        [
            ("message_start", """{"type":"message_start","message":{"id":"msg_fake1","type":"message","role":"assistant","model":"claude-sonnet-4.5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":16,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":1}}}"""),
            ("ping", """{"type":"ping"}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Thinking about cla"}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"ude-sonnet-4.5 #1."}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig_fake_1"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello from claud"}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"e-sonnet-4.5 #1"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            ("message_delta", $$"""{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{{MessageUsage}}}"""),
            ("message_stop", """{"type":"message_stop"}"""),
        ];
        Assert.Equal(expected, ParseSse(body).Select(e => (e.Event!, e.Data)));
    }

    [Fact]
    public async Task StreamingWithTools_SendsToolUseWithInputJsonDeltas()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.State.ContentChunks = 2;

        var (_, _, body) = await fake.SendAsync(Post(
            "/v1/messages",
            """{"model":"claude-opus-4.7","max_tokens":100,"stream":true,"messages":[],"tools":[{"name":"Read","input_schema":{"type":"object"}}]}"""));

        var events = ParseSse(body);
        Assert.Equal(
            ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.Equal("""{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_fake1","name":"Read","input":{}}}""", events[2].Data);
        Assert.Equal("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"path\":\"R"}}""", events[3].Data);
        Assert.Equal("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"EADME.md\"}"}}""", events[4].Data);
        Assert.Contains("\"stop_reason\":\"tool_use\"", events[6].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonStreaming_AnswersMessageWithThinkingAndToolUse()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.Usage = new FakeUsage(InputTokens: 50, OutputTokens: 9, CachedTokens: 30, CacheCreationTokens: 5);
        using var request = Post(
            "/v1/messages",
            """{"model":"claude-opus-4.7","max_tokens":100,"thinking":{"type":"adaptive"},"messages":[],"tools":[{"name":"Read"}]}""");
        request.Headers.Add("x-api-key", "sk-ant-provider");

        var (status, _, body) = await fake.SendAsync(request);

        Assert.Equal(200, status);
        AssertJson(
            """
            {
              "id": "msg_fake1", "type": "message", "role": "assistant", "model": "claude-opus-4.7",
              "content": [
                {"type": "thinking", "thinking": "Thinking about claude-opus-4.7 #1.", "signature": "sig_fake_1"},
                {"type": "tool_use", "id": "toolu_fake1", "name": "Read", "input": {"path": "README.md"}}
              ],
              "stop_reason": "tool_use", "stop_sequence": null,
              "usage": {"input_tokens": 15, "cache_creation_input_tokens": 5, "cache_read_input_tokens": 30, "output_tokens": 9}
            }
            """,
            body);
    }
}
