using System.Text;
using System.Text.Json;
using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class InitiatorTests
{
    [Theory]
    [InlineData("""[{"role":"user","content":"hi"}]""", "user")]
    [InlineData("""[{"role":"user","content":"hi"},{"role":"assistant","content":"prefill"}]""", "agent")]
    [InlineData("""[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"}]}]""", "agent")]
    [InlineData("""[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"},{"type":"text","text":"t"}]}]""", "user")]
    [InlineData("""[{"role":"user","content":[]}]""", "user")]
    [InlineData("[]", "user")]
    public void ForMessages_FollowsSpecTable(string messages, string expected)
        => Assert.Equal(expected, Initiator.ForMessages(JsonAssert.Parse($$"""{"messages":{{messages}}}""")));

    [Theory]
    [InlineData("""[{"role":"user","content":"q"}]""", "user")]
    [InlineData("""[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]""", "agent")]
    [InlineData("""[{"role":"assistant","tool_calls":[]},{"role":"tool","tool_call_id":"c","content":"r"}]""", "agent")]
    [InlineData("""[{"role":"system","content":"s"}]""", "user")]
    public void Chat_LastRoleAssistantOrTool_IsAgent(string messages, string expected)
    {
        var body = $$"""{"model":"gpt-5","messages":{{messages}}}""";
        using var document = JsonDocument.Parse(body);

        Assert.Equal(expected, Initiator.ForChat(document.RootElement));
        Assert.True(ChatBodyFacts.TryScan(Encoding.UTF8.GetBytes(body), out var facts));
        Assert.Equal(expected, facts.Initiator);
    }

    [Theory]
    [InlineData("\"just text\"", "user")]
    [InlineData("""[{"role":"user","content":[{"type":"input_text","text":"q"}]}]""", "user")]
    [InlineData("""[{"type":"message","role":"assistant","content":[]}]""", "agent")]
    [InlineData("""[{"type":"function_call_output","call_id":"c","output":"r"}]""", "agent")]
    [InlineData("""[{"type":"function_call_output","call_id":"c","output":"r"},{"role":"developer","content":"d"}]""", "user")]
    public void Responses_LastItemWithoutRoleOrAssistant_IsAgent(string input, string expected)
    {
        var body = $$"""{"input":{{input}},"model":"gpt-5.4"}""";
        using var document = JsonDocument.Parse(body);

        Assert.Equal(expected, Initiator.ForResponses(document.RootElement));
        Assert.True(ResponsesBodyFacts.TryScan(Encoding.UTF8.GetBytes(body), out var facts));
        Assert.Equal(expected, facts.Initiator);
    }

    [Fact]
    public void ChatBodyFacts_ReadsModelStreamMaxTokensAndImage_InAnyPropertyOrder()
    {
        var body = """
            {"messages":[
               {"content":[{"image_url":{"url":"data:image/png;base64,AA"},"type":"image_url"},{"type":"text","text":"what?"}],"role":"user"},
               {"role":"assistant","content":"It is a \"cat\" {not json}","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{\"role\":\"user\"}"}}]}],
             "stream":true,"max_tokens":100,"model":"gpt-4.1","extra":{"nested":[1,2,{"messages":[]}]}}
            """u8;

        Assert.True(ChatBodyFacts.TryScan(body, out var facts));
        Assert.Equal(new ChatBodyFacts("gpt-4.1", true, true, true, "agent", true, MaxTokens: 100), facts with { ModelValueRange = default });
    }

    [Fact]
    public void ChatBodyFacts_NullMaxTokensAndNoImage()
    {
        Assert.True(ChatBodyFacts.TryScan("""{"model":"m","max_tokens":null,"stream":false,"messages":[{"role":"user","content":"image_url"}]}"""u8, out var facts));
        Assert.Equal(new ChatBodyFacts("m", false, false, false, "user", true), facts with { ModelValueRange = default });
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"model\":")]
    [InlineData("not json")]
    [InlineData("{\"a\":1} {}")]
    public void ChatBodyFacts_NotAJsonObject_ReturnsFalse(string body)
        => Assert.False(ChatBodyFacts.TryScan(Encoding.UTF8.GetBytes(body), out _));

    [Fact]
    public void ResponsesBodyFacts_FindsInputImageInsideFunctionOutput()
    {
        var body = """
            {"model":"gpt-5.4","stream":true,"input":[
              {"role":"user","content":[{"type":"input_text","text":"q"}]},
              {"type":"function_call_output","call_id":"c","output":[{"type":"input_image","image_url":"data:image/png;base64,AA"}]}]}
            """u8;

        Assert.True(ResponsesBodyFacts.TryScan(body, out var facts));
        Assert.Equal(new ResponsesBodyFacts("gpt-5.4", true, true, "agent"), facts);
    }

    [Fact]
    public void ChatBodyFacts_MissingMessages_Reported()
    {
        Assert.True(ChatBodyFacts.TryScan("""{"model":"m"}"""u8, out var facts));
        Assert.Equal(new ChatBodyFacts("m", false, false, false, "user", false), facts with { ModelValueRange = default });
    }

    [Fact]
    public void ResponsesBodyFacts_EmptyInputArray_IsUser()
    {
        Assert.True(ResponsesBodyFacts.TryScan("""{"model":"m","input":[]}"""u8, out var facts));
        Assert.Equal(new ResponsesBodyFacts("m", false, false, "user"), facts);
    }
}
