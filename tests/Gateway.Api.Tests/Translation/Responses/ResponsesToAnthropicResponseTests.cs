using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Translation.Responses;
using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Translation.Responses;

public sealed class ResponsesToAnthropicResponseTests
{
    private static string Translate(string upstream, out TokenUsage usage, string? toolSearchToolName = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            usage = ResponsesToAnthropicResponse.Write(Encoding.UTF8.GetBytes(upstream), writer, toolSearchToolName);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Translate(string upstream, string? toolSearchToolName = null) => Translate(upstream, out _, toolSearchToolName);

    [Fact]
    public void CompletedTextMessage_WritesWholeMessageWithCachedUsage()
    {
        var actual = Translate("""
            {"id":"resp_1","object":"response","model":"gpt-5.2","status":"completed",
             "output":[{"type":"message","id":"msg_1","role":"assistant","status":"completed",
               "content":[{"type":"output_text","text":"Hello","annotations":[]},{"type":"output_text","text":" world","annotations":[]}]}],
             "usage":{"input_tokens":100,"input_tokens_details":{"cached_tokens":60},"output_tokens":7,"total_tokens":107}}
            """, out var usage);

        JsonAssert.Equal("""
            {"id":"resp_1","type":"message","role":"assistant","model":"gpt-5.2",
             "content":[{"type":"text","text":"Hello world"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":40,"output_tokens":7,"cache_read_input_tokens":60}}
            """, actual);
        Assert.Equal(new TokenUsage(40, 7, 60, 0, 107), usage);
    }

    [Fact]
    public void ReasoningAndFunctionCalls_BecomeThinkingAndToolUseWithToolUseStop()
    {
        var actual = Translate("""
            {"id":"resp_2","model":"gpt-5.4","status":"completed","output":[
              {"type":"reasoning","id":"rs_1","encrypted_content":"ENC/1+","summary":[
                 {"type":"summary_text","text":"**Plan**"},{"type":"summary_text","text":"Read the file."}]},
              {"type":"function_call","id":"fc_1","call_id":"call_1","name":"Read","arguments":"{\"path\":\"a.txt\"}","status":"completed"},
              {"type":"function_call","id":"fc_2","call_id":"call_2","name":"query","namespace":"mcp__db__query","arguments":"","status":"completed"}],
             "usage":{"input_tokens":10,"output_tokens":5}}
            """);

        JsonAssert.Equal("""
            {"id":"resp_2","type":"message","role":"assistant","model":"gpt-5.4",
             "content":[
               {"type":"thinking","thinking":"**Plan**\n\nRead the file.","signature":"ENC/1+@rs_1"},
               {"type":"tool_use","id":"call_1","name":"Read","input":{"path":"a.txt"}},
               {"type":"tool_use","id":"call_2","name":"mcp__db__query","input":{}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":10,"output_tokens":5}}
            """, actual);
    }

    [Fact]
    public void ReasoningWithoutSummaryAndCompaction_UseThinkingPlaceholder()
    {
        var actual = Translate("""
            {"id":"r","model":"m","status":"completed","output":[
              {"type":"reasoning","id":"rs_9","encrypted_content":"E9","summary":[]},
              {"type":"compaction","id":"cmp_1","encrypted_content":"C1"}]}
            """);

        JsonAssert.Equal("""
            {"id":"r","type":"message","role":"assistant","model":"m",
             "content":[
               {"type":"thinking","thinking":"Thinking...","signature":"E9@rs_9"},
               {"type":"thinking","thinking":"Thinking...","signature":"cm1#C1@cmp_1"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":0,"output_tokens":0}}
            """, actual);
    }

    [Fact]
    public void RefusalParts_AreConcatenatedWithText()
    {
        var actual = Translate("""
            {"id":"r","model":"m","status":"completed","output":[{"type":"message","content":[
              {"type":"output_text","text":"I can't"},{"type":"refusal","refusal":" help with that."}]}]}
            """);

        JsonAssert.Equal("""[{"type":"text","text":"I can't help with that."}]""", Content(actual));
    }

    [Fact]
    public void NoOutputItems_TopLevelOutputTextBecomesTextBlock()
    {
        var actual = Translate("""{"id":"r","model":"m","status":"completed","output":[],"output_text":"fallback"}""");

        JsonAssert.Equal("""[{"type":"text","text":"fallback"}]""", Content(actual));
    }

    [Theory]
    [InlineData("""{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}""", "\"max_tokens\"")]
    [InlineData("""{"status":"incomplete","incomplete_details":{"reason":"content_filter"}}""", "\"end_turn\"")]
    [InlineData("""{"status":"failed"}""", "null")]
    [InlineData("""{"status":"in_progress"}""", "null")]
    public void StopReason_FollowsStatusAndIncompleteReason(string statusFields, string expected)
    {
        var upstream = """{"id":"r","model":"m","output":[],""" + statusFields[1..];

        var actual = Translate(upstream);

        JsonAssert.Equal(expected, Field(actual, "stop_reason"));
    }

    [Fact]
    public void CacheWriteTokens_AreSubtractedFromInputAndReported()
    {
        var actual = Translate("""
            {"id":"r","model":"m","status":"completed","output":[],
             "usage":{"input_tokens":1000,"input_tokens_details":{"cached_tokens":200,"cache_write_tokens":300},"output_tokens":50}}
            """, out var usage);

        JsonAssert.Equal("""{"input_tokens":500,"output_tokens":50,"cache_read_input_tokens":200,"cache_creation_input_tokens":300}""", Field(actual, "usage"));
        Assert.Equal(new TokenUsage(500, 50, 200, 300), usage);
    }

    [Fact]
    public void ToolSearchCall_BecomesBridgeToolUse()
    {
        var actual = Translate("""
            {"id":"r","model":"gpt-5.4","status":"completed","output":[
              {"type":"tool_search_call","id":"tsc_1","call_id":"call_ts","execution":"client","arguments":{"names":["mcp__db__query","mcp__db__schema"]},"status":"completed"}]}
            """, "tool_search_search");

        JsonAssert.Equal("""[{"type":"tool_use","id":"call_ts","name":"tool_search_search","input":{"names":"mcp__db__query,mcp__db__schema"}}]""", Content(actual));
        JsonAssert.Equal("\"tool_use\"", Field(actual, "stop_reason"));
    }

    [Fact]
    public void InvalidArguments_AreKeptAsRawArguments()
    {
        var actual = Translate("""
            {"id":"r","model":"m","status":"completed","output":[
              {"type":"function_call","call_id":"c","name":"Bash","arguments":"{\"command\": \"ls"}]}
            """);

        JsonAssert.Equal("""[{"type":"tool_use","id":"c","name":"Bash","input":{"raw_arguments":"{\"command\": \"ls"}}]""", Content(actual));
    }

    [Fact]
    public void WebSearchCall_BecomesServerToolUse()
    {
        var actual = Translate("""
            {"id":"r","model":"m","status":"completed","output":[
              {"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"dotnet 10"}},
              {"type":"message","content":[{"type":"output_text","text":"Found it."}]}]}
            """);

        JsonAssert.Equal("""
            [{"type":"server_tool_use","id":"ws_1","name":"web_search","input":{"query":"dotnet 10"}},
             {"type":"text","text":"Found it."}]
            """, Content(actual));
        JsonAssert.Equal("\"end_turn\"", Field(actual, "stop_reason"));
    }

    private static string Content(string message) => Field(message, "content");

    private static string Field(string message, string name)
    {
        using var document = JsonDocument.Parse(message);
        return document.RootElement.GetProperty(name).GetRawText();
    }
}
