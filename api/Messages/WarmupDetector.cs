using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// Claude Code's start-up "warmup" requests (SPEC §3.4): cheap to answer with the small model, so the caller switches
/// model when the serving catalogue has it.
/// </summary>
public static class WarmupDetector
{
    public static bool IsWarmup(JsonObject request)
    {
        if (request["messages"] is not JsonArray { Count: > 0 } messages
            || messages[^1] is not JsonObject last
            || last.Role() != "user"
            || last["content"] is not JsonArray { Count: > 0 } content
            || content[^1] is not JsonObject block
            || block.BlockType() != "text")
        {
            return false;
        }
        return block["text"].AsString() is { } text
            && text.Trim().Equals("warmup", StringComparison.OrdinalIgnoreCase)
            && (block["cache_control"] as JsonObject)?["type"].AsString() == "ephemeral";
    }
}
