using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// tool_result merge and clean-up (SPEC §3.5). Claude Code sends text, images and documents next to tool results in
/// the same user turn; Copilot counts such a turn as a user premium request. Folding them into the tool results keeps
/// the turn agent traffic (§4.4) without losing any content.
/// </summary>
public static class ToolResultMerger
{
    private const string ExecuteCodeTool = "mcp__ide__executeCode";
    private const string PdfReadPrefix = "PDF file read:";

    /// <summary>Merges and cleans every user message and the tool list; returns true when something changed.</summary>
    public static bool Apply(JsonObject request)
    {
        var changed = false;
        if (request["messages"] is JsonArray messages)
        {
            foreach (var message in messages)
            {
                if (message.Role() == "user" && message!["content"] is JsonArray content)
                {
                    changed |= Merge(content);
                    changed |= RemoveToolLoadedTexts(content);
                }
            }
        }
        return RemoveExecuteCodeTool(request) | changed;
    }

    /// <summary>Step 1: fold the text, image and document blocks of one user message into its tool results.</summary>
    private static bool Merge(JsonArray content)
    {
        var toolResults = 0;
        var others = 0;
        foreach (var block in content)
        {
            switch (block.BlockType())
            {
                case "tool_result":
                    toolResults++;
                    break;
                case "text" or "image" or "document":
                    others++;
                    break;
                default:
                    return false;
            }
        }
        if (toolResults == 0 || others == 0)
        {
            return false;
        }

        var mergeable = content.OfType<JsonObject>()
            .Where(b => b.BlockType() == "tool_result" && !b["is_error"].IsTrue() && !HasToolReference(b))
            .ToList();
        if (mergeable.Count == 0)
        {
            return false;
        }

        // Decide a target for every non-tool_result block, remembering the original order.
        var texts = new List<JsonObject>();
        var pdfs = new List<(JsonObject Block, JsonObject Target)>();
        var attachments = new List<JsonObject>();
        var blocks = content.OfType<JsonObject>().ToList();
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            switch (block.BlockType())
            {
                case "text":
                    // A text right after a tool_reference result belongs to it (Claude Code's "Tool loaded."): dropped.
                    if (i == 0 || !(blocks[i - 1].BlockType() == "tool_result" && HasToolReference(blocks[i - 1])))
                    {
                        texts.Add(block);
                    }
                    break;
                case "image":
                    attachments.Add(block);
                    break;
                case "document":
                    if (IsPdf(block) && mergeable.FirstOrDefault(StartsWithPdfRead) is { } pdfTarget)
                    {
                        pdfs.Add((block, pdfTarget));
                    }
                    else
                    {
                        attachments.Add(block);
                    }
                    break;
            }
        }

        var targets = new Dictionary<JsonObject, JsonObject>(ReferenceEqualityComparer.Instance);
        AssignByCount(texts, mergeable, targets);
        AssignByCount(attachments, mergeable, targets);
        foreach (var (block, target) in pdfs)
        {
            targets[block] = target;
        }

        content.Clear();
        foreach (var block in blocks)
        {
            if (block.BlockType() == "tool_result")
            {
                content.Add(block);
            }
            else if (targets.TryGetValue(block, out var target))
            {
                if (block.BlockType() == "text")
                {
                    AppendText(target, block);
                }
                else
                {
                    AppendAttachment(target, block);
                }
            }
        }
        return true;
    }

    /// <summary>Pairs item i with tool result i when the counts match, else sends everything to the last one.</summary>
    private static void AssignByCount(List<JsonObject> items, List<JsonObject> mergeable, Dictionary<JsonObject, JsonObject> targets)
    {
        for (var i = 0; i < items.Count; i++)
        {
            targets[items[i]] = items.Count == mergeable.Count ? mergeable[i] : mergeable[^1];
        }
    }

    private static void AppendText(JsonObject toolResult, JsonObject textBlock)
    {
        var text = textBlock["text"].AsString() ?? "";
        switch (toolResult["content"])
        {
            case JsonArray array:
                textBlock.Remove("cache_control");
                array.Add(textBlock);
                break;
            case JsonValue value when value.AsString() is { } existing:
                toolResult["content"] = existing + "\n\n" + text;
                break;
            default:
                toolResult["content"] = text;
                break;
        }
    }

    private static void AppendAttachment(JsonObject toolResult, JsonObject attachment)
    {
        if (toolResult["content"] is not JsonArray array)
        {
            array = [];
            if (toolResult["content"].AsString() is { Length: > 0 } existing)
            {
                array.Add(JsonNodeHelpers.TextBlock(existing));
            }
            toolResult["content"] = array;
        }
        array.Add(attachment);
    }

    internal static bool HasToolReference(JsonObject toolResult)
        => toolResult["content"] is JsonArray content && content.Any(b => b.BlockType() == "tool_reference");

    private static bool IsPdf(JsonObject document)
        => (document["source"] as JsonObject)?["media_type"].AsString() == "application/pdf";

    private static bool StartsWithPdfRead(JsonObject toolResult) => toolResult["content"] switch
    {
        JsonArray array => array.Any(b => b.BlockType() == "text" && (b!["text"].AsString()?.StartsWith(PdfReadPrefix, StringComparison.Ordinal) ?? false)),
        var value => value.AsString()?.StartsWith(PdfReadPrefix, StringComparison.Ordinal) ?? false,
    };

    /// <summary>Step 2: after tool search loads a tool, Claude Code's bare "Tool loaded." texts only cost tokens.</summary>
    private static bool RemoveToolLoadedTexts(JsonArray content)
    {
        if (!content.Any(b => b.BlockType() == "tool_result" && HasToolReference((JsonObject)b!)))
        {
            return false;
        }
        var removed = false;
        for (var i = content.Count - 1; i >= 0; i--)
        {
            if (content[i].BlockType() == "text" && content[i]!["text"].AsString()?.Trim() == "Tool loaded.")
            {
                content.RemoveAt(i);
                removed = true;
            }
        }
        return removed;
    }

    /// <summary>Step 3: the IDE's code-execution tool is dropped unless the client defers loading it.</summary>
    private static bool RemoveExecuteCodeTool(JsonObject request)
    {
        if (request["tools"] is not JsonArray tools)
        {
            return false;
        }
        var removed = false;
        for (var i = tools.Count - 1; i >= 0; i--)
        {
            if (tools[i] is JsonObject tool && tool["name"].AsString() == ExecuteCodeTool && !tool["defer_loading"].IsTrue())
            {
                tools.RemoveAt(i);
                removed = true;
            }
        }
        return removed;
    }
}
