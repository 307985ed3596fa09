using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// Moves <c>role: "system"</c> entries out of <c>messages</c> (SPEC §3.2), since the Messages API only accepts
/// <c>system</c> at the top level. The first one joins <c>system</c>; later ones become <c>&lt;system-reminder&gt;</c>
/// text blocks in the nearest preceding user message so they keep their position in the conversation.
/// </summary>
public static class SystemMessageNormalizer
{
    /// <summary>Returns true when some system entry was moved.</summary>
    public static bool Apply(JsonObject request)
    {
        if (request["messages"] is not JsonArray messages || !messages.Any(m => m.Role() == "system"))
        {
            return false;
        }

        var kept = new List<JsonNode?>(messages.Count);
        var firstSeen = false;
        JsonObject? lastUser = null;
        // Where the next reminder goes in a user message, so several reminders keep their order.
        var insertAt = new Dictionary<JsonObject, int>(ReferenceEqualityComparer.Instance);
        foreach (var message in messages)
        {
            if (message is JsonObject obj && obj.Role() == "system")
            {
                if (!firstSeen)
                {
                    firstSeen = true;
                    AppendToSystem(request, FirstEntryBlocks(obj["content"]));
                }
                else if (JoinedText(obj["content"]) is { } text)
                {
                    var reminder = JsonNodeHelpers.TextBlock($"<system-reminder>\n{text}\n</system-reminder>");
                    if (lastUser is null)
                    {
                        AppendToSystem(request, [reminder]);
                    }
                    else
                    {
                        InsertIntoUser(lastUser, reminder, insertAt);
                    }
                }
                continue;
            }
            if (message.Role() == "user")
            {
                lastUser = (JsonObject)message!;
            }
            kept.Add(message);
        }

        messages.Clear();
        foreach (var message in kept)
        {
            messages.Add(message);
        }
        return true;
    }

    private static List<JsonNode> FirstEntryBlocks(JsonNode? content)
    {
        var blocks = new List<JsonNode>();
        if (content.AsString() is { } text)
        {
            blocks.Add(JsonNodeHelpers.TextBlock(text));
        }
        else if (content is JsonArray array)
        {
            blocks.AddRange(array.Where(b => b.BlockType() == "text").Select(b => b!.DeepClone()));
        }
        return blocks;
    }

    private static string? JoinedText(JsonNode? content)
    {
        if (content.AsString() is { } text)
        {
            return text;
        }
        if (content is not JsonArray array)
        {
            return null;
        }
        var texts = array.Where(b => b.BlockType() == "text").Select(b => b!["text"].AsString() ?? "").ToList();
        return texts.Count == 0 ? null : string.Join("\n\n", texts);
    }

    private static void AppendToSystem(JsonObject request, List<JsonNode> blocks)
    {
        if (blocks.Count == 0)
        {
            return;
        }
        if (request["system"] is not JsonArray system)
        {
            system = [];
            if (request["system"].AsString() is { Length: > 0 } existing)
            {
                system.Add(JsonNodeHelpers.TextBlock(existing));
            }
            request["system"] = system;
        }
        foreach (var block in blocks)
        {
            system.Add(block);
        }
    }

    private static void InsertIntoUser(JsonObject user, JsonObject reminder, Dictionary<JsonObject, int> insertAt)
    {
        if (user["content"] is not JsonArray content)
        {
            content = [];
            if (user["content"].AsString() is { } text)
            {
                content.Add(JsonNodeHelpers.TextBlock(text));
            }
            user["content"] = content;
        }
        if (!insertAt.TryGetValue(user, out var index))
        {
            index = content.Count;
            for (var i = content.Count - 1; i >= 0; i--)
            {
                if (content[i].BlockType() == "tool_result")
                {
                    index = i + 1;
                    break;
                }
            }
        }
        content.Insert(index, reminder);
        insertAt[user] = index + 1;
    }
}
