using System.Text.Json;

namespace Gateway.Api.Translation.Responses;

/// <summary>Anthropic <c>stop_reason</c> of a final Responses response (SPEC §10).</summary>
internal static class ResponsesStopReason
{
    /// <summary>
    /// <c>completed</c> → <c>tool_use</c> when a function or tool-search call was made, else <c>end_turn</c>;
    /// <c>incomplete</c> for <c>max_output_tokens</c> → <c>max_tokens</c>, for <c>content_filter</c> → <c>end_turn</c>;
    /// anything else → null.
    /// </summary>
    public static string? From(JsonElement response, bool sawToolCall)
    {
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("status"u8, out var status))
        {
            return null;
        }
        if (status.ValueEquals("completed"u8))
        {
            return sawToolCall || HasToolCall(response) ? "tool_use" : "end_turn";
        }
        if (status.ValueEquals("incomplete"u8)
            && response.TryGetProperty("incomplete_details"u8, out var details) && details.ValueKind == JsonValueKind.Object
            && details.TryGetProperty("reason"u8, out var reason))
        {
            if (reason.ValueEquals("max_output_tokens"u8))
            {
                return "max_tokens";
            }
            if (reason.ValueEquals("content_filter"u8))
            {
                return "end_turn";
            }
        }
        return null;
    }

    private static bool HasToolCall(JsonElement response)
    {
        if (!response.TryGetProperty("output"u8, out var output) || output.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var item in output.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type"u8, out var type)
                && (type.ValueEquals("function_call"u8) || type.ValueEquals("tool_search_call"u8)))
            {
                return true;
            }
        }
        return false;
    }
}
