using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// The shared thinking-block rule (SPEC §8, used by §5 too). History can carry thinking blocks that another model,
/// account or the gateway itself produced; sending them to a Claude model fails its signature check.
/// </summary>
public static class ThinkingFilter
{
    /// <summary>The placeholder text the gateway writes for reasoning it cannot show (§6, §10).</summary>
    public const string Placeholder = "Thinking...";

    /// <summary>
    /// Invalid when the text is empty or <see cref="Placeholder"/>, the signature is missing or empty, or the
    /// signature contains <c>@</c> (a GPT reasoning carrier, §9).
    /// </summary>
    public static bool IsValid(string? thinking, string? signature)
        => !string.IsNullOrEmpty(thinking)
            && thinking != Placeholder
            && !string.IsNullOrEmpty(signature)
            && !signature.Contains('@');

    /// <summary><see cref="IsValid(string?, string?)"/> for a <c>{"type":"thinking","thinking","signature"}</c> block.</summary>
    public static bool IsValid(JsonObject thinkingBlock)
        => IsValid(thinkingBlock["thinking"].AsString(), thinkingBlock["signature"].AsString());

    /// <summary>Removes invalid <c>thinking</c> blocks from every assistant message; returns how many went.</summary>
    public static int RemoveInvalid(JsonObject request)
    {
        if (request["messages"] is not JsonArray messages)
        {
            return 0;
        }
        var removed = 0;
        foreach (var message in messages)
        {
            if (message.Role() != "assistant" || message!["content"] is not JsonArray content)
            {
                continue;
            }
            for (var i = content.Count - 1; i >= 0; i--)
            {
                if (content[i] is JsonObject block && block.BlockType() == "thinking" && !IsValid(block))
                {
                    content.RemoveAt(i);
                    removed++;
                }
            }
        }
        return removed;
    }
}
