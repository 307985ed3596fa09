using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// The Copilot <c>x-initiator</c> (SPEC §4.4): <c>user</c> for a turn a person typed, <c>agent</c> for a turn the
/// agent loop produced (tool results, continuations). Copilot bills premium requests on user turns only.
/// </summary>
public static class Initiator
{
    public const string User = "user";
    public const string Agent = "agent";

    /// <summary>
    /// Messages (after §3.5): <c>agent</c> when the last message is not a user message, or is a user message whose
    /// array content holds only <c>tool_result</c> blocks.
    /// </summary>
    public static string ForMessages(JsonObject request)
    {
        if (request["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return User;
        }
        var last = messages[^1];
        if (last.Role() != "user")
        {
            return Agent;
        }
        return last!["content"] is JsonArray { Count: > 0 } content && content.All(b => b.BlockType() == "tool_result")
            ? Agent
            : User;
    }

    /// <summary>Chat Completions: <c>agent</c> when the last message's role is <c>assistant</c> or <c>tool</c>.</summary>
    public static string ForChat(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("messages", out var messages)
            || messages.ValueKind != JsonValueKind.Array
            || messages.GetArrayLength() == 0)
        {
            return User;
        }
        return RoleOf(messages[messages.GetArrayLength() - 1]) is "assistant" or "tool" ? Agent : User;
    }

    /// <summary>Responses: <c>agent</c> when the last input item has no <c>role</c> or role <c>assistant</c>.</summary>
    public static string ForResponses(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("input", out var input)
            || input.ValueKind != JsonValueKind.Array
            || input.GetArrayLength() == 0)
        {
            return User;
        }
        var last = input[input.GetArrayLength() - 1];
        return last.ValueKind == JsonValueKind.Object && RoleOf(last) is null or "assistant" ? Agent : User;
    }

    internal static string ForChatItems(JsonBodyScanner.ItemsFacts items)
        => items.LastIsObject && items.LastRole is JsonBodyScanner.ItemRole.Assistant or JsonBodyScanner.ItemRole.Tool ? Agent : User;

    internal static string ForResponsesItems(JsonBodyScanner.ItemsFacts items)
        => items.Count > 0 && items.LastIsObject && items.LastRole is JsonBodyScanner.ItemRole.None or JsonBodyScanner.ItemRole.Assistant
            ? Agent
            : User;

    private static string? RoleOf(JsonElement item)
        => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String
            ? role.GetString()
            : null;
}
