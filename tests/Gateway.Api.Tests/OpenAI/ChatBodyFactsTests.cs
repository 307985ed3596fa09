using System.Text;
using System.Text.Json;
using Gateway.Api.OpenAI;

namespace Gateway.Api.Tests.OpenAI;

public sealed class ChatBodyFactsTests
{
    private static ChatBodyFacts Scan(string json) => ChatBodyFacts.Scan(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "user")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"x"}]}""", "assistant")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":"x"},{"role":"tool","tool_call_id":"c","content":"r"}]}""", "tool")]
    [InlineData("""{"messages":[{"content":"x","role":"system"}],"model":"m"}""", "system")]
    public void LastMessageRole_IsFound(string json, string expected)
    {
        Assert.Equal(expected, Scan(json).LastRole);
    }

    [Fact]
    public void ModelStreamAndMaxTokens_AreRead()
    {
        var facts = Scan("""{"stream":true,"max_tokens":10,"model":"gpt-4.1","messages":[]}""");
        Assert.Equal("gpt-4.1", facts.Model);
        Assert.True(facts.Stream);
        Assert.True(facts.HasMaxTokens);
        Assert.True(facts.HasMessages);
        Assert.False(facts.HasImage);
    }

    [Fact]
    public void ImagePart_SetsHasImage()
    {
        var facts = Scan("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA"}}]}]}""");
        Assert.True(facts.HasImage);
    }

    [Fact]
    public void TextThatMentionsImageUrl_DoesNotSetHasImage()
    {
        var facts = Scan("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"image_url"}]}]}""");
        Assert.False(facts.HasImage);
    }

    [Fact]
    public void ModelValueRange_CoversTheQuotedValue()
    {
        var json = """{ "model" : "gpt-4.1", "messages":[] }""";
        var facts = Scan(json);
        Assert.Equal("\"gpt-4.1\"", json[facts.ModelValueRange]);
    }

    [Theory]
    [InlineData("{bad")]
    [InlineData("[1,2]")]
    [InlineData("""{"model":"m" """)]
    public void MalformedBody_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Scan(json));
    }
}
