using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.OpenAI;

namespace Gateway.Api.Tests.OpenAI;

public sealed class JsonBodyPatchTests
{
    [Fact]
    public void AddAndReplace_ProduceValidJsonWithBothEdits()
    {
        var json = """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""";
        Assert.True(Gateway.Api.Messages.ChatBodyFacts.TryScan(Encoding.UTF8.GetBytes(json), out var facts));
        var patched = new JsonBodyPatch().ReplaceString(facts.ModelValueRange, "claude-sonnet-4.5").Add("max_tokens", 8192).Add("reasoning_effort", "low")
            .Apply(Encoding.UTF8.GetBytes(json));
        var node = JsonNode.Parse(patched)!.AsObject();
        Assert.Equal("claude-sonnet-4.5", (string?)node["model"]);
        Assert.Equal(8192, (int?)node["max_tokens"]);
        Assert.Equal("low", (string?)node["reasoning_effort"]);
        Assert.Equal("hi", (string?)node["messages"]![0]!["content"]);
    }

    [Fact]
    public void AddToEmptyObject_HasNoTrailingComma()
    {
        var patched = new JsonBodyPatch().Add("a", 1).Apply("{ }"u8);
        Assert.Equal("""{"a":1 }""", Encoding.UTF8.GetString(patched));
    }

    [Fact]
    public void ReplaceWithEscapes_IsValidJson()
    {
        var json = """{"model":"x","messages":[]}""";
        Assert.True(Gateway.Api.Messages.ChatBodyFacts.TryScan(Encoding.UTF8.GetBytes(json), out var facts));
        var patched = new JsonBodyPatch().ReplaceString(facts.ModelValueRange, "a\"b").Apply(Encoding.UTF8.GetBytes(json));
        Assert.Equal("a\"b", (string?)JsonNode.Parse(patched)!["model"]);
    }

    [Fact]
    public void ModelValueRange_CoversTheQuotedValue_AndEffortAndCompletionTokensAreSeen()
    {
        var json = """{ "model" : "gpt-4.1", "reasoning_effort":"low", "max_completion_tokens": 5, "messages":[] }""";
        Assert.True(Gateway.Api.Messages.ChatBodyFacts.TryScan(Encoding.UTF8.GetBytes(json), out var facts));
        Assert.Equal("\"gpt-4.1\"", json[facts.ModelValueRange]);
        Assert.True(facts.HasReasoningEffort);
        Assert.True(facts.HasMaxTokens);
    }
}
