namespace Gateway.Api.Translation.Chat;

/// <summary>
/// SPEC §5: a Claude model asked for extended thinking on the Chat Completions path has no <c>thinking</c> parameter
/// there, so the gateway asks for interleaved reasoning in words instead (the gateway's own wording).
/// </summary>
internal static class ChatThinkingInstruction
{
    /// <summary>Appended to the system message.</summary>
    public const string System =
        "Extended thinking is on for this conversation. Think inside a thinking block before every tool call and "
        + "again after reading every tool result: work out what the result tells you and what to do next, then act. "
        + "Do not skip this reasoning, even for small steps.";

    /// <summary>Prepended to the first user message.</summary>
    public const string Reminder =
        "<system-reminder>\nRemember the thinking rule from the system prompt: reason in a thinking block before each "
        + "tool call and after each tool result.\n</system-reminder>";
}
