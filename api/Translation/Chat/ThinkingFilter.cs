using System.Text.Json.Nodes;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// SPEC §8 "Thinking filter": Claude models reject thinking blocks whose signature they did not issue, so history
/// from another model or account is dropped before translation.
/// </summary>
public static class ThinkingFilter
{
    /// <summary>Placeholder text the gateway writes for reasoning that has a signature but no readable text (§6).</summary>
    public const string Placeholder = "Thinking...";

    /// <summary>
    /// False when the block's text is empty or the placeholder, it has no signature, or the signature contains
    /// <c>@</c> (a GPT reasoning carrier written by the Responses translation, §10).
    /// </summary>
    public static bool IsValid(JsonObject thinkingBlock)
    {
        var text = JsonNodes.GetString(thinkingBlock["thinking"]);
        if (string.IsNullOrEmpty(text) || text == Placeholder)
        {
            return false;
        }
        var signature = JsonNodes.GetString(thinkingBlock["signature"]);
        return !string.IsNullOrEmpty(signature) && !signature.Contains('@');
    }
}
