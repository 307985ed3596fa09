using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Translation.Chat;
using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Translation.Chat;

public sealed class ChatToAnthropicResponseTests
{
    private static (string Json, TokenUsage Usage) Translate(string chatJson, string reasoningField = "reasoning_content")
    {
        var buffer = new ArrayBufferWriter<byte>();
        TokenUsage usage;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            usage = ChatToAnthropicResponse.Write(Encoding.UTF8.GetBytes(chatJson), writer, reasoningField);
        }
        return (Encoding.UTF8.GetString(buffer.WrittenSpan), usage);
    }

    [Fact]
    public void TextResponse_MapsEnvelopeStopReasonAndCachedUsage()
    {
        var (json, usage) = Translate("""
            {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4.1","choices":[
              {"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":60}}}
            """);
        JsonAssert.Equal("""
            {"id":"chatcmpl-1","type":"message","role":"assistant","model":"gpt-4.1",
             "content":[{"type":"text","text":"Hello there"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":40,"output_tokens":20,"cache_read_input_tokens":60}}
            """, json);
        Assert.Equal(new TokenUsage(40, 20, 60, 0, 120), usage);
    }

    [Fact]
    public void UsageWithoutCachedTokens_OmitsCacheRead()
    {
        var (json, usage) = Translate("""
            {"id":"c","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":7,"completion_tokens":3}}
            """);
        JsonAssert.Equal("""
            {"id":"c","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"x"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":7,"output_tokens":3}}
            """, json);
        Assert.Equal(new TokenUsage(7, 3, 0, 0), usage);
    }

    [Fact]
    public void ReasoningTextAndToolCalls_OrderedThinkingTextToolUse()
    {
        var (json, _) = Translate("""
            {"id":"c","model":"claude-sonnet-4.5","choices":[
              {"index":0,"message":{"role":"assistant","content":"Let me look.","reasoning_text":"Need the file","reasoning_opaque":"sig-1",
                "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"read","arguments":"{\"path\":\"a.txt\"}"}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":10,"completion_tokens":5}}
            """);
        JsonAssert.Equal("""
            {"id":"c","type":"message","role":"assistant","model":"claude-sonnet-4.5","content":[
               {"type":"thinking","thinking":"Need the file","signature":"sig-1"},
               {"type":"text","text":"Let me look."},
               {"type":"tool_use","id":"toolu_1","name":"read","input":{"path":"a.txt"}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}}
            """, json);
    }

    [Fact]
    public void OnlyReasoningOpaque_BecomesPlaceholderThinking()
    {
        var (json, _) = Translate("""
            {"id":"c","model":"gemini-2.5-pro","choices":[
              {"index":0,"message":{"role":"assistant","content":"Hi","reasoning_opaque":"enc"},"finish_reason":"stop"}]}
            """);
        JsonAssert.Equal("""
            {"id":"c","type":"message","role":"assistant","model":"gemini-2.5-pro","content":[
               {"type":"thinking","thinking":"Thinking...","signature":"enc"},{"type":"text","text":"Hi"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}
            """, json);
    }

    [Fact]
    public void ReasoningTextWithoutOpaque_GetsEmptySignature()
    {
        var (json, _) = Translate("""
            {"id":"c","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi","reasoning_text":"hmm"},"finish_reason":"stop"}]}
            """);
        JsonAssert.Equal("""
            {"id":"c","type":"message","role":"assistant","model":"m","content":[
               {"type":"thinking","thinking":"hmm","signature":""},{"type":"text","text":"Hi"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}
            """, json);
    }

    [Fact]
    public void MultipleChoices_ContentGroupedByKindAndLaterToolCallsForceToolUse()
    {
        var (json, _) = Translate("""
            {"id":"c","model":"m","choices":[
              {"index":0,"message":{"role":"assistant","content":"First","reasoning_text":"r1"},"finish_reason":"stop"},
              {"index":1,"message":{"role":"assistant","content":"Second","reasoning_text":"r2",
                "tool_calls":[{"id":"call_2","type":"function","function":{"name":"ls","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}
            """);
        JsonAssert.Equal("""
            {"id":"c","type":"message","role":"assistant","model":"m","content":[
               {"type":"thinking","thinking":"r1","signature":""},
               {"type":"thinking","thinking":"r2","signature":""},
               {"type":"text","text":"First"},
               {"type":"text","text":"Second"},
               {"type":"tool_use","id":"call_2","name":"ls","input":{}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}
            """, json);
    }

    [Theory]
    [InlineData("\"stop\"", "\"end_turn\"")]
    [InlineData("\"length\"", "\"max_tokens\"")]
    [InlineData("\"tool_calls\"", "\"tool_use\"")]
    [InlineData("\"content_filter\"", "\"end_turn\"")]
    [InlineData("null", "null")]
    public void FinishReason_IsMapped(string finishReason, string expectedStopReason)
    {
        var (json, _) = Translate("""{"id":"c","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"""
            + finishReason + "}]}");
        JsonAssert.Equal("""{"id":"c","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"x"}],"stop_reason":"""
            + expectedStopReason + ""","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}""", json);
    }

    [Fact]
    public void EmptyOrBrokenToolArguments_BecomeEmptyInput()
    {
        var (json, _) = Translate("""
            {"id":"c","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
              {"id":"a","type":"function","function":{"name":"one","arguments":""}},
              {"id":"b","type":"function","function":{"name":"two","arguments":"{\"x\":"}}]},"finish_reason":"tool_calls"}]}
            """);
        JsonAssert.Equal("""
            {"id":"c","type":"message","role":"assistant","model":"m","content":[
               {"type":"tool_use","id":"a","name":"one","input":{}},
               {"type":"tool_use","id":"b","name":"two","input":{}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}
            """, json);
    }

    [Fact]
    public void ProviderReasoningField_IsRead()
    {
        var (json, _) = Translate("""
            {"id":"c","model":"deepseek-reasoner","choices":[
              {"index":0,"message":{"role":"assistant","content":"42","reasoning":"compute"},"finish_reason":"stop"}]}
            """, reasoningField: "reasoning");
        JsonAssert.Equal("""
            {"id":"c","type":"message","role":"assistant","model":"deepseek-reasoner","content":[
               {"type":"thinking","thinking":"compute","signature":""},{"type":"text","text":"42"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}
            """, json);
    }

    [Fact]
    public void EscapedAndNonAsciiText_IsPreserved()
    {
        var (json, _) = Translate("""
            {"id":"c","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"line1\n\"q\" \u00e9 日本"},"finish_reason":"stop"}]}
            """);
        Assert.Equal("line1\n\"q\" é 日本", JsonDocument.Parse(json).RootElement.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void NoChoices_GivesEmptyContentAndNullStopReason()
    {
        var (json, _) = Translate("""{"id":"c","model":"m","choices":[]}""");
        JsonAssert.Equal("""
            {"id":"c","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,
             "usage":{"input_tokens":0,"output_tokens":0}}
            """, json);
    }
}
