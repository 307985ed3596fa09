using Gateway.Api.Translation.Responses;
using static Gateway.Api.Tests.Translation.Responses.RequestTestHarness;

namespace Gateway.Api.Tests.Translation.Responses;

public sealed class ToolSearchBridgeTests
{
    private const string Tools = """
        "tools":[
          {"name":"Read","description":"Reads","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}},
          {"name":"mcp__tool_search__search","description":"Loads deferred tools","input_schema":{"type":"object","properties":{"names":{"type":"string"}},"required":["names"]}},
          {"name":"mcp__db__query","description":"Runs SQL","input_schema":{"type":"object","properties":{"sql":{"type":"string"}}}},
          {"name":"mcp__db__schema","input_schema":{"type":"object"}}]
        """;

    private const string DbQueryNamespace = """
        {"type":"namespace","name":"mcp__db__query","tools":[{"type":"function","name":"mcp__db__query","description":"Runs SQL",
          "parameters":{"type":"object","properties":{"sql":{"type":"string"}}},"strict":false,"defer_loading":true}]}
        """;

    private const string DbSchemaNamespace = """
        {"type":"namespace","name":"mcp__db__schema","tools":[{"type":"function","name":"mcp__db__schema",
          "parameters":{"type":"object","properties":{}},"strict":false,"defer_loading":true}]}
        """;

    [Fact]
    public void Gpt54WithBridgeAndDeferredTools_WritesToolSearchAndNamespaces()
    {
        var actual = Translate($$$$"""
            {"model":"m","max_tokens":10,"messages":[],{{{{Tools}}}},"tool_choice":{"type":"tool","name":"mcp__tool_search__search"}}
            """, Options("gpt-5.4"), out var info);

        AssertProperty(actual, "tools", $$$$"""
            [{"type":"function","name":"Read","description":"Reads","parameters":{"type":"object","properties":{"path":{"type":"string"}}},"strict":false},
             {"type":"tool_search","execution":"client","parameters":{"type":"object","properties":{"names":{"type":"array",
               "items":{"type":"string","enum":["mcp__db__query","mcp__db__schema"]},"minItems":1}},"required":["names"]}},
             {{{{DbQueryNamespace}}}},
             {{{{DbSchemaNamespace}}}}]
            """);
        AssertProperty(actual, "tool_choice", "\"auto\"");
        Assert.Equal(new ResponsesRequestInfo("mcp__tool_search__search", true), info);
    }

    [Fact]
    public void History_BridgeCallsBecomeToolSearchItemsAndDeferredCallsCarryNamespace()
    {
        var actual = Translate($$$$"""
            {"model":"m","max_tokens":10,{{{{Tools}}}},"messages":[
              {"role":"assistant","content":[{"type":"tool_use","id":"ts_1","name":"mcp__tool_search__search","input":{"names":"mcp__db__query, mcp__db__query ,mcp__db__schema"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"ts_1","content":[
                {"type":"tool_reference","tool_name":"mcp__db__query"},{"type":"tool_reference","tool_name":"mcp__db__schema"}]}]},
              {"role":"assistant","content":[{"type":"tool_use","id":"call_2","name":"mcp__db__query","input":{"sql":"select 1"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_2","content":"1"}]}]}
            """, Options("gpt-5.5"));

        AssertProperty(actual, "input", $$$$"""
            [{"type":"tool_search_call","call_id":"ts_1","execution":"client","arguments":{"names":["mcp__db__query","mcp__db__schema"]},"status":"completed"},
             {"type":"tool_search_output","call_id":"ts_1","execution":"client","status":"completed","tools":[{{{{DbQueryNamespace}}}},{{{{DbSchemaNamespace}}}}]},
             {"type":"function_call","call_id":"call_2","name":"mcp__db__query","namespace":"mcp__db__query","arguments":"{\"sql\":\"select 1\"}","status":"completed"},
             {"type":"function_call_output","call_id":"call_2","output":"1","status":"completed"}]
            """);
    }

    [Fact]
    public void BridgeResultWithSentinelJson_NamesTheLoadedTools()
    {
        var actual = Translate($$$$"""
            {"model":"m","max_tokens":10,{{{{Tools}}}},"messages":[
              {"role":"assistant","content":[{"type":"tool_use","id":"ts_1","name":"mcp__tool_search__search","input":{"names":"mcp__db__schema"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"ts_1","content":[
                {"type":"text","text":"{\"type\":\"gateway_cluster_tool_search\",\"names\":[\"mcp__db__schema\"]}"}]}]}]}
            """, Options("gpt-5.4"));

        AssertProperty(actual, "input", $$$$"""
            [{"type":"tool_search_call","call_id":"ts_1","execution":"client","arguments":{"names":["mcp__db__schema"]},"status":"completed"},
             {"type":"tool_search_output","call_id":"ts_1","execution":"client","status":"completed","tools":[{{{{DbSchemaNamespace}}}}]}]
            """);
    }

    [Fact]
    public void BridgeResultNamingUnknownTool_IsRejected()
    {
        var request = $$$$"""
            {"model":"m","max_tokens":10,{{{{Tools}}}},"messages":[
              {"role":"assistant","content":[{"type":"tool_use","id":"ts_1","name":"mcp__tool_search__search","input":{"names":"nope"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"ts_1","content":[{"type":"tool_reference","tool_name":"nope"}]}]}]}
            """;

        var error = Assert.Throws<ResponsesTranslationException>(() => Translate(request, Options("gpt-5.4")));

        Assert.Equal("Tool search result names unknown tool 'nope'.", error.Message);
    }

    [Theory]
    [InlineData("gpt-5.3-codex")]
    [InlineData("gpt-5.2")]
    public void ModelBelowGpt54_KeepsOrdinaryFunctions(string model)
    {
        var actual = Translate($$$$"""{"model":"m","max_tokens":10,"messages":[],{{{{Tools}}}}}""", Options(model), out var info);

        Assert.Null(info.ToolSearchToolName);
        using var tools = System.Text.Json.JsonDocument.Parse(Property(actual, "tools"));
        Assert.Equal(
            ["function:Read", "function:mcp__tool_search__search", "function:mcp__db__query", "function:mcp__db__schema"],
            tools.RootElement.EnumerateArray().Select(t => $"{t.GetProperty("type").GetString()}:{t.GetProperty("name").GetString()}"));
    }

    [Fact]
    public void OnlyAlwaysLoadedTools_DisablesBridge()
    {
        var actual = Translate("""
            {"model":"m","max_tokens":10,"messages":[],"tools":[
              {"name":"Bash","input_schema":{"type":"object","properties":{}}},
              {"name":"tool_search_search","input_schema":{"type":"object","properties":{}}}]}
            """, Options("gpt-5.4"), out var info);

        Assert.Null(info.ToolSearchToolName);
        AssertProperty(actual, "tools", """
            [{"type":"function","name":"Bash","parameters":{"type":"object","properties":{}},"strict":false},
             {"type":"function","name":"tool_search_search","parameters":{"type":"object","properties":{}},"strict":false}]
            """);
    }

    [Theory]
    [InlineData(" a, b ,a,, c", new[] { "a", "b", "c" })]
    [InlineData("", new string[0])]
    public void SplitNames_TrimsAndDeduplicates(string names, string[] expected)
    {
        Assert.Equal(expected, ToolSearchBridge.SplitNames(names));
    }
}
