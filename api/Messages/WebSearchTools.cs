using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// The Anthropic <c>web_search</c> server tool (SPEC §3.6, [P3]). Copilot cannot run it, so a request whose only tool
/// is web search is served by <c>messageApiWebSearchModel</c> (the caller routes it), and web search mixed with other
/// tools is dropped so the rest of the request still works.
/// </summary>
public static class WebSearchTools
{
    /// <summary>Returns true when web search is the only tool; otherwise removes any web search tool from a mixed list.</summary>
    public static bool Apply(JsonObject request)
    {
        if (request["tools"] is not JsonArray { Count: > 0 } tools)
        {
            return false;
        }
        if (tools.All(IsWebSearch))
        {
            return true;
        }
        for (var i = tools.Count - 1; i >= 0; i--)
        {
            if (IsWebSearch(tools[i]))
            {
                tools.RemoveAt(i);
            }
        }
        return false;
    }

    public static bool IsWebSearch(JsonNode? tool)
        => tool.BlockType() is { } type && type.StartsWith("web_search_", StringComparison.Ordinal);
}
