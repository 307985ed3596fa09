using System.Text.Json;
using Gateway.Testing.FakeUpstream;
using static Gateway.Api.Tests.FakeUpstream.FakeUpstreamTestKit;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>Responses answers (SPEC §10 and §11.2 read them), JSON and the event stream.</summary>
public sealed class FakeResponsesTests
{
    private const string ResponsesUsage =
        """{"input_tokens":20,"input_tokens_details":{"cached_tokens":4},"output_tokens":10,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":30}""";

    [Fact]
    public async Task StreamingText_SendsTextItemEventsAndCompletedWithUsage()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.ContentChunks = 2;
        var token = await fake.CopilotTokenAsync();

        var (status, contentType, body) = await fake.SendAsync(Post("/responses", """{"model":"gpt-5.4","stream":true,"input":"hi"}""", token));

        Assert.Equal(200, status);
        Assert.Equal("text/event-stream", contentType);
        var events = ParseSse(body);
        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
             "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
             "response.content_part.done", "response.output_item.done", "response.completed"],
            events.Select(e => e.Event));
        var data = events.Select(e => JsonDocument.Parse(e.Data).RootElement).ToArray();
        Assert.Equal(events.Select(e => e.Event), data.Select(d => d.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, events.Count), data.Select(d => d.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(
            """{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_fake1","type":"message","status":"in_progress","content":[],"role":"assistant"}}""",
            events[2].Data);
        Assert.Equal(
            """{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_fake1","output_index":0,"content_index":0,"delta":"Hello from "}""",
            events[4].Data);
        Assert.Equal(
            """{"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_fake1","output_index":0,"content_index":0,"delta":"gpt-5.4 #1"}""",
            events[5].Data);
        Assert.Equal(
            """{"type":"response.output_text.done","sequence_number":6,"item_id":"msg_fake1","output_index":0,"content_index":0,"text":"Hello from gpt-5.4 #1"}""",
            events[6].Data);
        var created = data[0].GetProperty("response");
        Assert.Equal("in_progress", created.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("usage").ValueKind);
        var completed = data[^1].GetProperty("response");
        Assert.Equal("resp_fake1", completed.GetProperty("id").GetString());
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        AssertJson(
            """[{"id":"msg_fake1","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"text":"Hello from gpt-5.4 #1"}],"role":"assistant"}]""",
            completed.GetProperty("output").GetRawText());
        AssertJson(ResponsesUsage, completed.GetProperty("usage").GetRawText());
    }

    [Fact]
    public async Task StreamingWithReasoningAndTools_SendsReasoningItemThenFunctionCall()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.State.ContentChunks = 2;

        var (_, _, body) = await fake.SendAsync(Post(
            "/responses",
            """{"model":"gpt-5.4","stream":true,"input":[],"reasoning":{"effort":"high","summary":"detailed"},"tools":[{"type":"web_search"},{"type":"function","name":"shell","parameters":{}}]}"""));

        var events = ParseSse(body);
        Assert.Equal(
            ["response.created", "response.in_progress",
             "response.output_item.added", "response.reasoning_summary_part.added",
             "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
             "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
             "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
             "response.function_call_arguments.done", "response.output_item.done", "response.completed"],
            events.Select(e => e.Event));
        Assert.Equal(
            """{"type":"response.reasoning_summary_text.delta","sequence_number":4,"item_id":"rs_fake1","output_index":0,"summary_index":0,"delta":"Thinking abou"}""",
            events[4].Data);
        Assert.Equal(
            """{"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":{"id":"rs_fake1","type":"reasoning","summary":[{"type":"summary_text","text":"Thinking about gpt-5.4 #1."}],"encrypted_content":"enc_fake_1"}}""",
            events[8].Data);
        Assert.Equal(
            """{"type":"response.output_item.added","sequence_number":9,"output_index":1,"item":{"id":"fc_fake1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_fake1","name":"shell"}}""",
            events[9].Data);
        Assert.Equal(
            """{"type":"response.function_call_arguments.delta","sequence_number":10,"item_id":"fc_fake1","output_index":1,"delta":"{\"path\":\"R"}""",
            events[10].Data);
        Assert.Equal(
            """{"type":"response.function_call_arguments.done","sequence_number":12,"item_id":"fc_fake1","output_index":1,"arguments":"{\"path\":\"README.md\"}"}""",
            events[12].Data);
        using var completed = JsonDocument.Parse(events[^1].Data);
        Assert.Equal("high", completed.RootElement.GetProperty("response").GetProperty("reasoning").GetProperty("effort").GetString());
    }

    [Fact]
    public async Task NonStreaming_AnswersCompletedResponseObject()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;

        var (status, contentType, body) = await fake.SendAsync(Post("/v1/responses", """{"model":"gpt-5-mini","input":"hi"}""", "sk-provider"));

        Assert.Equal(200, status);
        Assert.Equal("application/json", contentType);
        AssertJson(
            $$$"""
            {
              "id": "resp_fake1", "object": "response", "created_at": 1800000000, "status": "completed", "background": false,
              "error": null, "incomplete_details": null, "instructions": null, "max_output_tokens": null, "model": "gpt-5-mini",
              "output": [{"id": "msg_fake1", "type": "message", "status": "completed", "content": [{"type": "output_text", "annotations": [], "text": "Hello from gpt-5-mini #1"}], "role": "assistant"}],
              "parallel_tool_calls": true, "previous_response_id": null, "reasoning": {"effort": null, "summary": null}, "store": false,
              "temperature": 1, "text": {"format": {"type": "text"}}, "tool_choice": "auto", "tools": [], "top_p": 1, "truncation": "disabled",
              "usage": {{{ResponsesUsage}}},
              "user": null, "metadata": {}
            }
            """,
            body);
    }
}
