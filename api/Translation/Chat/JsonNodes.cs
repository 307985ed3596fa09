using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// Typed reads from the pre-processed request DOM. Values may come from the parser (JsonElement-backed) or be
/// created by pre-processing (CLR-backed), so numbers are read through every numeric type a value may hold.
/// </summary>
internal static class JsonNodes
{
    public static string? GetString(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    public static bool TryGetLong(JsonNode? node, out long result)
    {
        result = 0;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }
        if (value.TryGetValue(out result))
        {
            return true;
        }
        if (value.TryGetValue<int>(out var i))
        {
            result = i;
            return true;
        }
        if (value.TryGetValue<double>(out var d) && double.IsFinite(d))
        {
            result = (long)Math.Floor(d);
            return true;
        }
        return false;
    }

    public static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The text of a text block (<c>{"type":"text","text"}</c>), or null for any other node.</summary>
    public static string? TextOf(JsonObject block)
        => GetString(block["type"]) == "text" ? GetString(block["text"]) : null;
}
