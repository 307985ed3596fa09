using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Api.Tests.Messages;
using Gateway.Api.Tokens;
using SharpToken;

namespace Gateway.Api.Tests.Tokens;

public class TokenCounterTests
{
    private static readonly GptEncoding _o200k = GptEncoding.GetEncoding("o200k_base");
    private static readonly TokenCountOptions _options = new();

    private static int T(string text) => _o200k.Encode(text, new HashSet<string>(), new HashSet<string>()).Count;

    private static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void PlainMessages_PerMessageFramingPlusReplyPriming()
    {
        var body = Body("""{"model":"gpt-4.1","messages":[{"role":"system","content":"You are helpful."},{"role":"user","content":"Hello there"}]}""");

        var counts = TokenCounter.Count(body, _o200k);

        var expectedInput = 3 + T("system") + T("You are helpful.") + 3 + T("user") + T("Hello there") + 3;
        Assert.Equal(new TokenCounter.ChatTokenCounts(expectedInput, 0), counts);
        Assert.Equal(expectedInput, TokenCounter.CountInputTokens(body, new TokenCountContext("gpt-4.1", "o200k_base", false), _options));
    }

    [Fact]
    public void NameImagePartsToolCalls_CountedAndSplitInputOutput()
    {
        const string call = """{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}""";
        var body = Body($$$"""
            {"messages":[
              {"role":"user","name":"bob","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"https://x.test/y.png"}}]},
              {"role":"assistant","content":"ok","tool_calls":[ {{{call}}} ]},
              {"role":"tool","tool_call_id":"c1","content":"res"}]}
            """);

        var counts = TokenCounter.Count(body, _o200k);

        var input = (3 + T("user") + T("bob") + 1 + T("look") + T("https://x.test/y.png") + 85)
            + (3 + T("tool") + T("c1") + T("res"))
            + 3;
        var output = 3 + T("assistant") + T("ok") + (7 + T(call) + 12) + 3;
        Assert.Equal(new TokenCounter.ChatTokenCounts(input, output), counts);
    }

    [Fact]
    public void ToolSchemas_CountedPerSpecRules()
    {
        var body = Body("""
            {"messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Get weather.",
               "parameters":{"type":"object","properties":{
                  "city":{"type":"string","description":"City name."},
                  "unit":{"enum":["c","f"],"default":"c"}},
                "required":["city"]}}},
               {"type":"function","function":{"name":"noop","parameters":{"type":"object","properties":{}}}}]}
            """);

        var counts = TokenCounter.Count(body, _o200k);

        var messages = 3 + T("user") + T("hi") + 3;
        var weather = 7 + T("get_weather:Get weather")
            + T("type:object")
            + 3 + (3 + T("city:string:City name"))
            + (3 - 3 + (3 + T("c")) + (3 + T("f")) + T("unit:string:") + T("default:c"))
            + T("required:[\"city\"]");
        var noop = 7 + T("noop:") + T("type:object");
        Assert.Equal(new TokenCounter.ChatTokenCounts(messages + weather + noop + 12, 0), counts);
    }

    [Fact]
    public void ClaudeWithToolsAndBeta_Adds346ThenAppliesMultiplier()
    {
        var body = Body("""{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"Bash","description":"Run."}}]}""");
        var raw = 3 + T("user") + T("hi") + 3 + 7 + T("Bash:Run") + 12;

        var tokens = TokenCounter.CountInputTokens(body, new TokenCountContext("claude-sonnet-4.5", null, true), _options);

        Assert.Equal((long)Math.Round((raw + 346) * 1.15, MidpointRounding.AwayFromZero), tokens);
    }

    [Theory]
    [InlineData("claude-opus-4.6", true, "mcp__github__search", 0)]
    [InlineData("claude-opus-4.6", true, "Skill", 0)]
    [InlineData("claude-opus-4.6", false, "Bash", 0)]
    [InlineData("grok-code-fast-1", true, "Bash", 120)]
    [InlineData("gpt-5.4", true, "Bash", 0)]
    [InlineData("claude-opus-4.6", true, "Read", 346)]
    public void ToolOverhead_Rules(string model, bool beta, string toolName, int expected)
    {
        var body = Body($$$"""{"tools":[{"type":"function","function":{"name":"{{{toolName}}}"}}]}""");
        Assert.Equal(expected, TokenCounter.ToolOverhead(body, new TokenCountContext(model, null, beta)));
    }

    [Fact]
    public void SkillAmongOtherTools_GetsOverhead()
    {
        var body = Body("""{"tools":[{"type":"function","function":{"name":"Skill"}},{"type":"function","function":{"name":"Bash"}}]}""");
        Assert.Equal(346, TokenCounter.ToolOverhead(body, new TokenCountContext("claude-haiku-4.5", null, true)));
    }

    [Fact]
    public void ClaudeMultiplier_RoundsHalfUp()
    {
        var body = Body("""{"messages":[{"role":"user","content":"hi"}]}""");
        var raw = 3 + T("user") + T("hi") + 3;

        var tokens = TokenCounter.CountInputTokens(body, new TokenCountContext("claude-x", null, false), new TokenCountOptions { ClaudeTokenMultiplier = 1.5 });

        Assert.Equal((long)Math.Floor(raw * 1.5 + 0.5), tokens);
    }

    [Fact]
    public void NotAnObject_AnswersOne()
        => Assert.Equal(1, TokenCounter.CountInputTokens(Body("[1,2]"), new TokenCountContext("gpt-4.1", null, false), _options));

    [Fact]
    public void SpecialTokenText_CountedAsPlainText()
    {
        var body = Body("""{"messages":[{"role":"user","content":"a <|endoftext|> b"}]}""");
        Assert.Equal(3 + T("user") + T("a <|endoftext|> b") + 3, TokenCounter.Count(body, _o200k).Input);
    }

    [Fact]
    public void Tokenizer_SelectedByName_UnknownFallsBackToO200k()
    {
        const string text = "internationalization of tokenizers";
        var body = Body($$"""{"messages":[{"role":"user","content":"{{text}}"}]}""");
        var cl100k = GptEncoding.GetEncoding("cl100k_base");

        var withCl100k = TokenCounter.CountInputTokens(body, new TokenCountContext("gpt-4", "cl100k_base", false), _options);
        var withUnknown = TokenCounter.CountInputTokens(body, new TokenCountContext("gpt-4", "mystery", false), _options);

        Assert.Equal(3 + cl100k.CountTokens("user") + cl100k.CountTokens(text) + 3, withCl100k);
        Assert.Equal(3 + T("user") + T(text) + 3, withUnknown);
        Assert.Equal("o200k_base", TokenizerCache.Normalize("mystery"));
        Assert.Same(TokenizerCache.Get("p50k_edit"), TokenizerCache.Get("p50k_edit"));
        Assert.Same(TokenizerCache.Get(null), TokenizerCache.Get("o200k_base"));
    }

    [Fact]
    public void EmptyBody_CountsZero()
        => Assert.Equal(new TokenCounter.ChatTokenCounts(0, 0), TokenCounter.Count(Body("{}"), _o200k));
}
