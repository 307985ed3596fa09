using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>Small read helpers over <see cref="JsonNode"/> trees that tolerate missing or mistyped values.</summary>
internal static class JsonNodeHelpers
{
    public static string? AsString(this JsonNode? node)
        => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool IsTrue(this JsonNode? node)
        => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The <c>type</c> string of a content block, or null.</summary>
    public static string? BlockType(this JsonNode? node) => (node as JsonObject)?["type"].AsString();

    public static string? Role(this JsonNode? message) => (message as JsonObject)?["role"].AsString();

    public static JsonObject TextBlock(string text) => new() { ["type"] = "text", ["text"] = text };
}
