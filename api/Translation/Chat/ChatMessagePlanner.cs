using System.Text.Json.Nodes;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// Turns the Anthropic <c>system</c> and <c>messages</c> into the list of Chat Completions messages (SPEC §5), before
/// anything is written.
/// </summary>
internal static class ChatMessagePlanner
{
    private const string DefaultPdfName = "document.pdf";

    public static List<ChatMessagePlan> Plan(JsonObject request, ChatRequestOptions options, bool thinkingInstruction)
    {
        var plans = new List<ChatMessagePlan>();
        AddSystem(request["system"], thinkingInstruction, plans);

        // Claude models reject thinking blocks they did not sign (SPEC §8 thinking filter).
        var isClaude = options.UpstreamModelId.StartsWith("claude", StringComparison.Ordinal);
        var reminderPending = thinkingInstruction;
        if (request["messages"] is JsonArray messages)
        {
            foreach (var node in messages)
            {
                if (node is not JsonObject message)
                {
                    continue;
                }
                switch (JsonNodes.GetString(message["role"]))
                {
                    case "user":
                        AddUser(message["content"], reminderPending, options, plans);
                        reminderPending = false;
                        break;
                    case "assistant":
                        AddAssistant(message["content"], isClaude, plans);
                        break;
                }
            }
        }
        if (options.EffectiveContextCache)
        {
            MarkBreakpoints(plans);
        }
        return plans;
    }

    private static void AddSystem(JsonNode? system, bool thinkingInstruction, List<ChatMessagePlan> plans)
    {
        var plan = new ChatMessagePlan(ChatRole.System);
        if (JsonNodes.GetString(system) is { Length: > 0 } text)
        {
            plan.Parts.Add(ChatContentPart.FromText(text));
        }
        else if (system is JsonArray blocks)
        {
            foreach (var block in blocks)
            {
                if (block is JsonObject o && JsonNodes.TextOf(o) is { Length: > 0 } blockText)
                {
                    plan.Parts.Add(ChatContentPart.FromText(blockText));
                }
            }
        }
        if (thinkingInstruction)
        {
            plan.Parts.Add(ChatContentPart.FromText(ChatThinkingInstruction.System));
        }
        if (plan.Parts.Count > 0)
        {
            plans.Add(plan);
        }
    }

    /// <summary>tool_result blocks become <c>tool</c> messages first, in order; the other blocks one user message after them.</summary>
    private static void AddUser(JsonNode? content, bool reminder, ChatRequestOptions options, List<ChatMessagePlan> plans)
    {
        var user = new ChatMessagePlan(ChatRole.User);
        if (reminder)
        {
            user.Parts.Add(ChatContentPart.FromText(ChatThinkingInstruction.Reminder));
        }
        if (JsonNodes.GetString(content) is { } text)
        {
            if (text.Length > 0)
            {
                user.Parts.Add(ChatContentPart.FromText(text));
            }
        }
        else if (content is JsonArray blocks)
        {
            // Media a tool message may not carry goes into the user message right after the tool messages.
            List<JsonObject>? moved = null;
            foreach (var node in blocks)
            {
                if (node is JsonObject block && JsonNodes.GetString(block["type"]) == "tool_result")
                {
                    plans.Add(PlanToolResult(block, options.ToolContentSupport, ref moved));
                }
            }
            if (moved is not null)
            {
                foreach (var block in moved)
                {
                    AddUserBlock(block, options.SupportPdf, user.Parts);
                }
            }
            foreach (var node in blocks)
            {
                if (node is JsonObject block && JsonNodes.GetString(block["type"]) != "tool_result")
                {
                    AddUserBlock(block, options.SupportPdf, user.Parts);
                }
            }
        }
        if (user.Parts.Count > 0)
        {
            plans.Add(user);
        }
    }

    private static ChatMessagePlan PlanToolResult(JsonObject block, ToolContentSupport support, ref List<JsonObject>? moved)
    {
        var plan = new ChatMessagePlan(ChatRole.Tool)
        {
            ToolCallId = JsonNodes.GetString(block["tool_use_id"]) ?? "",
            ForceArray = support.HasFlag(ToolContentSupport.Array),
        };
        var content = block["content"];
        if (JsonNodes.GetString(content) is { } text)
        {
            plan.Parts.Add(ChatContentPart.FromText(text));
            return plan;
        }
        if (content is not JsonArray parts)
        {
            return plan;
        }
        foreach (var node in parts)
        {
            if (node is not JsonObject part)
            {
                continue;
            }
            switch (JsonNodes.GetString(part["type"]))
            {
                case "text":
                    if (JsonNodes.GetString(part["text"]) is { Length: > 0 } partText)
                    {
                        plan.Parts.Add(ChatContentPart.FromText(partText));
                    }
                    break;
                case "image":
                    if (support.HasFlag(ToolContentSupport.Image))
                    {
                        AddImage(part, plan.Parts);
                    }
                    else
                    {
                        (moved ??= []).Add(part);
                    }
                    break;
                case "document":
                    if (IsBase64Pdf(part, out _) && !support.HasFlag(ToolContentSupport.Pdf))
                    {
                        (moved ??= []).Add(part);
                    }
                    else
                    {
                        AddDocument(part, support.HasFlag(ToolContentSupport.Pdf), plan.Parts);
                    }
                    break;
                case "tool_reference":
                    // Same wording as the Responses translation (SPEC §9) for a deferred tool that was loaded.
                    plan.Parts.Add(ChatContentPart.FromText($"Tool {JsonNodes.GetString(part["tool_name"])} loaded"));
                    break;
            }
        }
        return plan;
    }

    private static void AddUserBlock(JsonObject block, bool supportPdf, List<ChatContentPart> parts)
    {
        switch (JsonNodes.GetString(block["type"]))
        {
            case "text":
                if (JsonNodes.GetString(block["text"]) is { Length: > 0 } text)
                {
                    parts.Add(ChatContentPart.FromText(text));
                }
                break;
            case "image":
                AddImage(block, parts);
                break;
            case "document":
                AddDocument(block, supportPdf, parts);
                break;
        }
    }

    /// <summary>Base64 sources become data URLs, URL sources keep their URL (SPEC §5).</summary>
    private static void AddImage(JsonObject block, List<ChatContentPart> parts)
    {
        if (block["source"] is not JsonObject source)
        {
            return;
        }
        switch (JsonNodes.GetString(source["type"]))
        {
            case "base64" when JsonNodes.GetString(source["data"]) is { } data:
                parts.Add(new ChatContentPart(ChatPartKind.ImageUrl, data, JsonNodes.GetString(source["media_type"]) ?? "image/png"));
                break;
            case "url" when JsonNodes.GetString(source["url"]) is { } url:
                parts.Add(new ChatContentPart(ChatPartKind.ImageUrl, url));
                break;
        }
    }

    /// <summary>
    /// A base64 PDF becomes a <c>file</c> part when allowed, else a notice that it was omitted; plain-text and
    /// content documents are sent as their text.
    /// </summary>
    private static void AddDocument(JsonObject block, bool pdfAllowed, List<ChatContentPart> parts)
    {
        var filename = JsonNodes.GetString(block["title"]) is { Length: > 0 } title ? title : DefaultPdfName;
        if (IsBase64Pdf(block, out var data) && pdfAllowed)
        {
            parts.Add(new ChatContentPart(ChatPartKind.File, data, "application/pdf", filename));
            return;
        }
        var source = block["source"] as JsonObject;
        switch (JsonNodes.GetString(source?["type"]))
        {
            case "text" when JsonNodes.GetString(source!["data"]) is { Length: > 0 } text:
                parts.Add(ChatContentPart.FromText(text));
                return;
            case "content" when source!["content"] is JsonArray inner:
                foreach (var node in inner)
                {
                    if (node is JsonObject innerBlock && JsonNodes.TextOf(innerBlock) is { Length: > 0 } innerText)
                    {
                        parts.Add(ChatContentPart.FromText(innerText));
                    }
                }
                return;
            default:
                parts.Add(ChatContentPart.FromText($"[PDF document \"{filename}\" omitted: this model cannot read PDF files.]"));
                return;
        }
    }

    private static bool IsBase64Pdf(JsonObject block, out string data)
    {
        data = "";
        if (block["source"] is not JsonObject source || JsonNodes.GetString(source["type"]) != "base64")
        {
            return false;
        }
        var mediaType = JsonNodes.GetString(source["media_type"]);
        if (mediaType is not null && mediaType != "application/pdf")
        {
            return false;
        }
        data = JsonNodes.GetString(source["data"]) ?? "";
        return true;
    }

    private static void AddAssistant(JsonNode? content, bool isClaude, List<ChatMessagePlan> plans)
    {
        var plan = new ChatMessagePlan(ChatRole.Assistant);
        plans.Add(plan);
        if (JsonNodes.GetString(content) is { } text)
        {
            plan.Parts.Add(ChatContentPart.FromText(text));
            return;
        }
        if (content is not JsonArray blocks)
        {
            return;
        }
        foreach (var node in blocks)
        {
            if (node is not JsonObject block)
            {
                continue;
            }
            switch (JsonNodes.GetString(block["type"]))
            {
                case "text":
                    if (JsonNodes.GetString(block["text"]) is { Length: > 0 } blockText)
                    {
                        plan.Parts.Add(ChatContentPart.FromText(blockText));
                    }
                    break;
                case "tool_use":
                    (plan.ToolUses ??= []).Add(block);
                    break;
                case "thinking":
                    if (isClaude && !ThinkingFilter.IsValid(block))
                    {
                        break;
                    }
                    // The placeholder stands for reasoning without readable text (§6); only its signature matters.
                    if (JsonNodes.GetString(block["thinking"]) is { Length: > 0 } thinking && thinking != ThinkingFilter.Placeholder)
                    {
                        (plan.ReasoningTexts ??= []).Add(thinking);
                    }
                    if (plan.ReasoningOpaque is null && JsonNodes.GetString(block["signature"]) is { Length: > 0 } signature)
                    {
                        plan.ReasoningOpaque = signature;
                    }
                    break;
            }
        }
    }

    /// <summary>SPEC §13.4: the first 2 system messages and the last 2 other messages that have content.</summary>
    private static void MarkBreakpoints(List<ChatMessagePlan> plans)
    {
        var systems = 0;
        foreach (var plan in plans)
        {
            if (plan.Role == ChatRole.System && systems < 2 && plan.HasContent)
            {
                plan.CacheBreakpoint = true;
                systems++;
            }
        }
        var others = 0;
        for (var i = plans.Count - 1; i >= 0 && others < 2; i--)
        {
            if (plans[i].Role != ChatRole.System && plans[i].HasContent)
            {
                plans[i].CacheBreakpoint = true;
                others++;
            }
        }
    }
}
