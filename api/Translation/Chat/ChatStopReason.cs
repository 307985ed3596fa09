using System.Text.Json;

namespace Gateway.Api.Translation.Chat;

/// <summary>SPEC §6: Chat Completions <c>finish_reason</c> → Anthropic <c>stop_reason</c>.</summary>
internal static class ChatStopReason
{
    /// <summary>
    /// <c>stop</c>/<c>content_filter</c> → <c>end_turn</c>, <c>length</c> → <c>max_tokens</c>, <c>tool_calls</c>
    /// (and the legacy <c>function_call</c>) → <c>tool_use</c>; null stays null. Unknown reasons read as a normal end.
    /// </summary>
    public static string? Map(JsonElement finishReason)
    {
        if (finishReason.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        if (finishReason.ValueEquals("length"u8))
        {
            return "max_tokens";
        }
        if (finishReason.ValueEquals("tool_calls"u8) || finishReason.ValueEquals("function_call"u8))
        {
            return "tool_use";
        }
        return "end_turn";
    }

    /// <summary><see cref="Map(JsonElement)"/> for a value read from a stream chunk's bytes.</summary>
    public static string? Map(ReadOnlySpan<byte> json, JsonRange finishReason)
    {
        if (!finishReason.IsString)
        {
            return null;
        }
        if (finishReason.ValueEquals(json, "length"u8))
        {
            return "max_tokens";
        }
        if (finishReason.ValueEquals(json, "tool_calls"u8) || finishReason.ValueEquals(json, "function_call"u8))
        {
            return "tool_use";
        }
        return "end_turn";
    }
}
