using System.Text.Json.Nodes;

namespace Gateway.Api.Translation.Chat;

internal enum ChatRole : byte
{
    System,
    User,
    Assistant,
    Tool,
}

/// <summary>
/// One upstream Chat Completions message, planned before anything is written, because context-cache breakpoints
/// (SPEC §13.4) depend on the position of a message among all the others.
/// </summary>
internal sealed class ChatMessagePlan(ChatRole role)
{
    public ChatRole Role { get; } = role;

    public List<ChatContentPart> Parts { get; } = [];

    /// <summary>Write <see cref="Parts"/> as an array even without media (tool messages with <c>array</c> support).</summary>
    public bool ForceArray { get; set; }

    public string? ToolCallId { get; init; }

    /// <summary>Assistant <c>tool_use</c> blocks, in order.</summary>
    public List<JsonObject>? ToolUses { get; set; }

    /// <summary>Assistant thinking texts (joined with <c>\n\n</c> on write).</summary>
    public List<string>? ReasoningTexts { get; set; }

    /// <summary>Signature of the first signed thinking block (Copilot <c>reasoning_opaque</c>).</summary>
    public string? ReasoningOpaque { get; set; }

    /// <summary>Gets a <c>cache_control</c> breakpoint (SPEC §13.4).</summary>
    public bool CacheBreakpoint { get; set; }

    public bool HasMedia
    {
        get
        {
            foreach (var part in Parts)
            {
                if (part.Kind != ChatPartKind.Text)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Content that a breakpoint can sit on: some part, and not a single empty text.</summary>
    public bool HasContent => Parts.Count > 1 || (Parts.Count == 1 && (Parts[0].Kind != ChatPartKind.Text || Parts[0].Value.Length > 0));
}
