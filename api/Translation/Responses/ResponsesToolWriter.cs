using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation.Responses;

/// <summary>Writes Anthropic tool definitions as Responses tools (SPEC §9 <c>tools</c>, §12, §3.6).</summary>
internal static class ResponsesToolWriter
{
    /// <summary>Writes the <c>tools</c> property; returns false (and writes nothing) when the request has no tools.</summary>
    public static bool WriteTools(Utf8JsonWriter writer, JsonArray? tools, ToolSearchBridge? bridge)
    {
        if (tools is null || tools.Count == 0)
        {
            return false;
        }
        writer.WriteStartArray("tools");
        var bridgeWritten = false;
        foreach (var node in tools)
        {
            if (node is not JsonObject tool)
            {
                continue;
            }
            if (IsWebSearch(tool))
            {
                // §3.6: the Anthropic server tool maps to the Responses built-in one.
                writer.WriteStartObject();
                writer.WriteString("type", "web_search");
                writer.WriteEndObject();
                continue;
            }
            var name = JsonNodes.GetString(tool["name"]) ?? string.Empty;
            if (bridge is not null && ToolSearchBridge.IsFunctionLike(tool))
            {
                if (ToolSearchBridge.BridgeToolNames.Contains(name))
                {
                    // One tool_search tool: a second bridge alias adds nothing.
                    if (!bridgeWritten)
                    {
                        WriteToolSearch(writer, bridge);
                        bridgeWritten = true;
                    }
                    continue;
                }
                if (bridge.IsDeferred(name))
                {
                    WriteNamespace(writer, tool);
                    continue;
                }
            }
            WriteFunction(writer, tool, deferLoading: false);
        }
        writer.WriteEndArray();
        return true;
    }

    public static bool IsWebSearch(JsonObject tool)
        => JsonNodes.GetString(tool["type"]) is { } type && type.StartsWith("web_search_", StringComparison.Ordinal);

    /// <summary><c>{"type":"function","name","description","parameters","strict":false}</c>; an empty description is omitted.</summary>
    public static void WriteFunction(Utf8JsonWriter writer, JsonObject tool, bool deferLoading)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "function");
        writer.WritePropertyName("name");
        WriteStringOrEmpty(writer, tool["name"]);
        if (JsonNodes.IsNonEmptyString(tool["description"]))
        {
            writer.WritePropertyName("description");
            tool["description"]!.WriteTo(writer);
        }
        writer.WritePropertyName("parameters");
        WriteParameters(writer, tool["input_schema"]);
        writer.WriteBoolean("strict", false);
        if (deferLoading)
        {
            writer.WriteBoolean("defer_loading", true);
        }
        writer.WriteEndObject();
    }

    /// <summary>A deferred tool inside its own namespace (§12).</summary>
    public static void WriteNamespace(Utf8JsonWriter writer, JsonObject tool)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "namespace");
        writer.WritePropertyName("name");
        WriteStringOrEmpty(writer, tool["name"]);
        writer.WriteStartArray("tools");
        WriteFunction(writer, tool, deferLoading: true);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The bridge as a client-executed <c>tool_search</c> whose names are limited to the deferred tools (§12).</summary>
    private static void WriteToolSearch(Utf8JsonWriter writer, ToolSearchBridge bridge)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "tool_search");
        writer.WriteString("execution", "client");
        writer.WriteStartObject("parameters");
        writer.WriteString("type", "object");
        writer.WriteStartObject("properties");
        writer.WriteStartObject("names");
        writer.WriteString("type", "array");
        writer.WriteStartObject("items");
        writer.WriteString("type", "string");
        writer.WriteStartArray("enum");
        foreach (var name in bridge.DeferredNames)
        {
            writer.WriteStringValue(name);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNumber("minItems", 1);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("required");
        writer.WriteStringValue("names");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// §9 schema normalisation: a missing or typeless schema becomes <c>{"type":"object","properties":{}}</c>; an object
    /// schema without <c>properties</c> gets an empty one (the Responses API rejects object schemas without it).
    /// </summary>
    public static void WriteParameters(Utf8JsonWriter writer, JsonNode? schema)
    {
        if (schema is not JsonObject obj || obj["type"] is null)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "object");
            writer.WriteStartObject("properties");
            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }
        writer.WriteStartObject();
        foreach (var (key, value) in obj)
        {
            writer.WritePropertyName(key);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
        if (JsonNodes.IsString(obj["type"], "object") && !obj.ContainsKey("properties"))
        {
            writer.WriteStartObject("properties");
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteStringOrEmpty(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is JsonValue && node.GetValueKind() == JsonValueKind.String)
        {
            node.WriteTo(writer);
        }
        else
        {
            writer.WriteStringValue(string.Empty);
        }
    }
}
