using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Catalog;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// The MCP tool_search bridge on the Responses path (SPEC §12): the client's bridge tool becomes a client-executed
/// Responses <c>tool_search</c>, every other ordinary tool is deferred inside its own namespace.
/// </summary>
internal sealed class ToolSearchBridge
{
    /// <summary>Names under which clients see the bridge's <c>search</c> tool (§12).</summary>
    public static readonly FrozenSet<string> BridgeToolNames = FrozenSet.Create(
        StringComparer.Ordinal, "mcp__tool_search__search", "tool_search_search", "mcp__plugin_tool-search_tool_search__search");

    /// <summary>Tools that are never deferred (§12).</summary>
    private static readonly FrozenSet<string> s_alwaysLoaded = FrozenSet.Create(
        StringComparer.Ordinal,
        "Agent", "AskUserQuestion", "Bash", "Edit", "EnterPlanMode", "ExitPlanMode", "Glob", "Grep", "Read", "Skill",
        "TodoWrite", "ToolSearch", "WebFetch", "Write", "apply_patch", "bash", "glob", "grep", "plan_exit", "question",
        "read", "skill", "task", "todowrite", "webfetch");

    /// <summary>Payload type of the MCP bridge's result text (§12).</summary>
    public const string SentinelType = "gateway_cluster_tool_search";

    private readonly Dictionary<string, JsonObject> _deferred;

    private ToolSearchBridge(string bridgeName, Dictionary<string, JsonObject> deferred, List<string> deferredOrder)
    {
        BridgeName = bridgeName;
        _deferred = deferred;
        DeferredNames = deferredOrder;
    }

    /// <summary>The client's name of the bridge tool (the first bridge tool in the request).</summary>
    public string BridgeName { get; }

    /// <summary>Deferred tool names in request order.</summary>
    public IReadOnlyList<string> DeferredNames { get; }

    /// <summary>Enabled when the model is GPT-5.4+, a bridge tool is present and at least one tool is deferred (§12).</summary>
    public static ToolSearchBridge? TryCreate(JsonArray? tools, string modelId)
    {
        if (tools is null || tools.Count == 0 || !GptVersion.AtLeast(modelId, 5, 4))
        {
            return null;
        }
        string? bridgeName = null;
        var deferred = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var node in tools)
        {
            if (node is not JsonObject tool || !IsFunctionLike(tool) || JsonNodes.GetString(tool["name"]) is not { Length: > 0 } name)
            {
                continue;
            }
            if (BridgeToolNames.Contains(name))
            {
                bridgeName ??= name;
            }
            else if (!s_alwaysLoaded.Contains(name) && deferred.TryAdd(name, tool))
            {
                order.Add(name);
            }
        }
        return bridgeName is null || order.Count == 0 ? null : new ToolSearchBridge(bridgeName, deferred, order);
    }

    /// <summary>Ordinary (client-defined) tools; Anthropic server tools carry a versioned <c>type</c> instead.</summary>
    public static bool IsFunctionLike(JsonObject tool) => tool["type"] is null || JsonNodes.IsString(tool["type"], "custom");

    public bool IsDeferred(string name) => _deferred.ContainsKey(name);

    public bool TryGetDeferred(string name, out JsonObject tool) => _deferred.TryGetValue(name, out tool!);

    /// <summary>Comma-separated names, trimmed, empty entries skipped, duplicates dropped (§12).</summary>
    public static List<string> SplitNames(string? names)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(names))
        {
            return result;
        }
        foreach (var part in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!result.Contains(part, StringComparer.Ordinal))
            {
                result.Add(part);
            }
        }
        return result;
    }

    /// <summary>The names a bridge call asked for: <c>input.names</c> as a comma-separated string or an array.</summary>
    public static List<string> ReadCallNames(JsonNode? input)
    {
        var names = input is JsonObject obj ? obj["names"] : null;
        if (names is JsonArray array)
        {
            var result = new List<string>();
            foreach (var item in array)
            {
                foreach (var name in SplitNames(JsonNodes.GetString(item)))
                {
                    if (!result.Contains(name, StringComparer.Ordinal))
                    {
                        result.Add(name);
                    }
                }
            }
            return result;
        }
        return SplitNames(JsonNodes.GetString(names));
    }

    /// <summary>
    /// The tools a bridge <c>tool_result</c> loaded: its <c>tool_reference</c> blocks (Claude Code) or the bridge's
    /// sentinel JSON <c>{"type":"gateway_cluster_tool_search","names":[…]}</c> in its text (§12).
    /// </summary>
    public static List<string> ReadResultNames(JsonNode? content)
    {
        var result = new List<string>();
        if (content is JsonArray blocks)
        {
            foreach (var node in blocks)
            {
                if (node is not JsonObject block)
                {
                    continue;
                }
                if (JsonNodes.IsString(block["type"], "tool_reference"))
                {
                    AddDistinct(result, JsonNodes.GetString(block["tool_name"]));
                }
                else if (JsonNodes.IsString(block["type"], "text"))
                {
                    ReadSentinel(JsonNodes.GetString(block["text"]), result);
                }
            }
        }
        else
        {
            ReadSentinel(JsonNodes.GetString(content), result);
        }
        return result;
    }

    private static void ReadSentinel(string? text, List<string> result)
    {
        if (string.IsNullOrWhiteSpace(text) || !text.AsSpan().TrimStart().StartsWith("{"))
        {
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type"u8, out var type) || !type.ValueEquals(SentinelType)
                || !root.TryGetProperty("names"u8, out var names) || names.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            foreach (var name in names.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String)
                {
                    AddDistinct(result, name.GetString()?.Trim());
                }
            }
        }
        catch (JsonException)
        {
            // Not the bridge's sentinel: ordinary text carries no tool names.
        }
    }

    private static void AddDistinct(List<string> list, string? name)
    {
        if (!string.IsNullOrEmpty(name) && !list.Contains(name, StringComparer.Ordinal))
        {
            list.Add(name);
        }
    }
}
