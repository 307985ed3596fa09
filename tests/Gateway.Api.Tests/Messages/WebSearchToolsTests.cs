using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class WebSearchToolsTests
{
    [Fact]
    public void OnlyWebSearchTool_ReportedAndKept()
    {
        var request = JsonAssert.Parse("""{"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5}]}""");
        Assert.True(WebSearchTools.Apply(request));
        JsonAssert.Equal("""{"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5}]}""", request);
    }

    [Fact]
    public void WebSearchMixedWithOtherTools_Removed()
    {
        var request = JsonAssert.Parse("""{"tools":[{"name":"Bash","input_schema":{}},{"type":"web_search_20250305","name":"web_search"}]}""");
        Assert.False(WebSearchTools.Apply(request));
        JsonAssert.Equal("""{"tools":[{"name":"Bash","input_schema":{}}]}""", request);
    }

    [Fact]
    public void NoTools_NotWebSearchOnly()
        => Assert.False(WebSearchTools.Apply(JsonAssert.Parse("""{"tools":[]}""")));
}
