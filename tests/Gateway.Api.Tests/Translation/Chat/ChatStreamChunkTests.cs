using System.Text;
using System.Text.Json;
using Gateway.Api.Translation.Chat;

namespace Gateway.Api.Tests.Translation.Chat;

/// <summary>The single-pass chunk reader behind the Chat → Anthropic stream translator (SPEC §7).</summary>
public sealed class ChatStreamChunkTests
{
    private static (ChatStreamChunk Chunk, byte[] Json) Read(string json, string reasoningField = "reasoning_content")
    {
        var chunk = new ChatStreamChunk(Encoding.UTF8.GetBytes(reasoningField));
        var bytes = Encoding.UTF8.GetBytes(json);
        chunk.Read(bytes);
        return (chunk, bytes);
    }

    private static string Raw(JsonRange range, byte[] json) => Encoding.UTF8.GetString(range.Raw(json));

    [Fact]
    public void FullChunk_KeepsRawStringsAndUsage()
    {
        var (chunk, json) = Read("""
            {"id":"c1","model":"gpt-4.1","choices":[{"index":0,"delta":{"content":"a\u00e9\"b","reasoning_text":"r","reasoning_opaque":"sig",
            "tool_calls":[{"index":1,"id":"call_1","function":{"name":"f","arguments":"{\"x\":1}"}}]},"finish_reason":"tool_calls"}],
            "usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":4}}}
            """);
        Assert.True(chunk.IsObject);
        Assert.Equal("\"c1\"", Raw(chunk.Id, json));
        Assert.Equal("\"gpt-4.1\"", Raw(chunk.Model, json));
        Assert.True(chunk.HasChoices);
        var choice = Assert.Single(chunk.Choices);
        Assert.True(choice.HasDelta);
        Assert.Equal("\"a\\u00e9\\\"b\"", Raw(choice.Content, json));
        Assert.True(choice.Content.Escaped);
        Assert.Equal("\"r\"", Raw(choice.ReasoningText, json));
        Assert.Equal("sig", choice.Opaque.GetString(json));
        Assert.Equal("\"tool_calls\"", Raw(choice.FinishReason, json));
        Assert.Equal(1, choice.ToolCallCount);
        var call = chunk.ToolCalls[choice.ToolCallStart];
        Assert.Equal(1, call.OpenAiIndex);
        Assert.Equal("\"call_1\"", Raw(call.Id, json));
        Assert.Equal("\"f\"", Raw(call.Name, json));
        Assert.Equal("\"{\\\"x\\\":1}\"", Raw(call.Arguments, json));
        Assert.Equal(new ChatUsage(6, 3, 4, 13), chunk.Usage);
    }

    [Fact]
    public void DuplicateProperties_LastOneCounts()
    {
        var (chunk, json) = Read("""
            {"model":"a","model":"b","usage":{"prompt_tokens":5},"usage":null,
             "choices":[{"delta":{"content":"x","content":""},"finish_reason":"stop","finish_reason":null}]}
            """);
        Assert.Equal("\"b\"", Raw(chunk.Model, json));
        Assert.Null(chunk.Usage);
        var choice = Assert.Single(chunk.Choices);
        Assert.True(choice.Content.IsString);
        Assert.False(choice.Content.IsNonEmptyString);
        Assert.False(choice.FinishReason.IsString);
    }

    [Fact]
    public void NonObjectElements_CountForPositionsButAreNotKept()
    {
        var (chunk, _) = Read("""
            {"choices":[7,{"delta":{"tool_calls":["x",{"id":"a"},{"index":"2","id":"b"},{"index":4294967296,"id":"c"}]}}]}
            """);
        Assert.True(chunk.HasChoices);
        var choice = Assert.Single(chunk.Choices);
        Assert.Equal(4, choice.ToolCallCount);
        // Without a usable integer index a call takes its position in the array.
        Assert.Equal([1, 2, 3], chunk.ToolCalls.Select(c => c.OpenAiIndex));
    }

    [Fact]
    public void ReasoningFieldNamedLikeContent_FillsBoth()
    {
        var (chunk, json) = Read("""{"choices":[{"delta":{"content":"t"}}]}""", reasoningField: "content");
        var choice = Assert.Single(chunk.Choices);
        Assert.Equal("\"t\"", Raw(choice.Content, json));
        Assert.Equal("\"t\"", Raw(choice.ReasoningField, json));
    }

    [Theory]
    [InlineData("""{"error":{"message":"boom"}}""", JsonValueKind.Object, "\"boom\"")]
    [InlineData("""{"error":"down"}""", JsonValueKind.String, "\"down\"")]
    [InlineData("""{"error":{"code":1}}""", JsonValueKind.Object, "")]
    [InlineData("""{"error":null}""", JsonValueKind.Undefined, "")]
    public void ErrorChunk_KindAndMessage(string body, JsonValueKind kind, string message)
    {
        var (chunk, json) = Read(body);
        Assert.Equal(kind, chunk.ErrorKind);
        Assert.Equal(message, chunk.ErrorMessage.IsString ? Raw(chunk.ErrorMessage, json) : "");
    }

    [Fact]
    public void FractionalAndOutOfRangeCounts_ReadAsJsonElementDoes()
    {
        var (chunk, _) = Read("""{"usage":{"prompt_tokens":12.7,"completion_tokens":"5","total_tokens":1e400}}""");
        Assert.Equal(new ChatUsage(12, 0, null, null), chunk.Usage);
    }

    [Fact]
    public void ReaderIsReused_NothingLeaksFromThePreviousChunk()
    {
        var chunk = new ChatStreamChunk("reasoning_content"u8.ToArray());
        chunk.Read("""{"id":"a","usage":{"prompt_tokens":1},"choices":[{"delta":{"content":"x"}}]}"""u8);
        chunk.Read("""{"model":"m"}"""u8);
        Assert.False(chunk.Id.IsString);
        Assert.Null(chunk.Usage);
        Assert.False(chunk.HasChoices);
        Assert.Empty(chunk.Choices);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void NonObjectRoot_IsNotAChunk(string body)
    {
        var (chunk, _) = Read(body);
        Assert.False(chunk.IsObject);
    }

    [Fact]
    public void InvalidJson_Throws()
    {
        var chunk = new ChatStreamChunk("reasoning_content"u8.ToArray());
        Assert.ThrowsAny<JsonException>(() => chunk.Read("""{"choices":[{"delta":}]}"""u8));
    }

    [Theory]
    [InlineData("\"length\"", "max_tokens")]
    [InlineData("\"\\u006cength\"", "max_tokens")]
    [InlineData("\"tool_calls\"", "tool_use")]
    [InlineData("\"function_call\"", "tool_use")]
    [InlineData("\"stop\"", "end_turn")]
    [InlineData("\"other\"", "end_turn")]
    public void FinishReason_MapsLikeTheDocumentVersion(string raw, string expected)
    {
        var (chunk, json) = Read("{\"choices\":[{\"finish_reason\":" + raw + "}]}");
        var finish = Assert.Single(chunk.Choices).FinishReason;
        Assert.Equal(expected, ChatStopReason.Map(json, finish));
        using var document = JsonDocument.Parse(raw);
        Assert.Equal(ChatStopReason.Map(document.RootElement), ChatStopReason.Map(json, finish));
    }
}
