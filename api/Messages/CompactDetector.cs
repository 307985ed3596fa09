using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// Recognises Claude Code and opencode compaction requests and the auto-continue turn that follows them (SPEC §3.3).
/// Runs after <see cref="SystemMessageNormalizer"/>, so system text is only found in <c>system</c>.
/// </summary>
public static class CompactDetector
{
    private const string TextOnly = "CRITICAL: Respond with TEXT ONLY. Do NOT call any tools.";
    private const string SummaryTask = "Your task is to create a detailed summary of the conversation so far";
    private static readonly string[] _summarySections = ["Pending Tasks:", "Current Work:"];

    private static readonly string[] _summarizerSystemPrefixes =
    [
        "You are a helpful AI assistant tasked with summarizing conversations",
        "You are an anchored context summarization assistant for coding sessions.",
    ];

    private static readonly string[] _autoContinuePrefixes =
    [
        "This session is being continued from a previous conversation that ran out of context. The summary below covers the earlier portion of the conversation.",
        "Continue if you have next steps, or stop and ask for clarification if you are unsure how to proceed.",
        "The previous request exceeded the provider's size limit due to large media attachments. The conversation was compacted and media files were removed from context.",
    ];

    public static bool IsCompact(JsonObject request)
    {
        if (CandidateText(request) is { } candidate
            && candidate.Contains(TextOnly, StringComparison.Ordinal)
            && candidate.Contains(SummaryTask, StringComparison.Ordinal)
            && _summarySections.Any(s => candidate.Contains(s, StringComparison.Ordinal)))
        {
            return true;
        }
        return SystemTexts(request["system"]).Any(text =>
            _summarizerSystemPrefixes.Any(p => text.StartsWith(p, StringComparison.Ordinal)));
    }

    public static bool IsAutoContinue(JsonObject request)
        => CandidateText(request) is { } candidate
            && _autoContinuePrefixes.Any(p => candidate.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// The last message's text when it is a user message: a string as is, else its text blocks that do not start with
    /// <c>&lt;system-reminder&gt;</c> joined with a blank line; null otherwise.
    /// </summary>
    internal static string? CandidateText(JsonObject request)
    {
        if (request["messages"] is not JsonArray { Count: > 0 } messages || messages[^1] is not JsonObject last || last.Role() != "user")
        {
            return null;
        }
        var content = last["content"];
        if (content.AsString() is { } text)
        {
            return text;
        }
        if (content is not JsonArray blocks)
        {
            return null;
        }
        var texts = blocks
            .Where(b => b.BlockType() == "text")
            .Select(b => b!["text"].AsString())
            .Where(t => t is not null && !t.StartsWith("<system-reminder>", StringComparison.Ordinal));
        return string.Join("\n\n", texts);
    }

    internal static IEnumerable<string> SystemTexts(JsonNode? system)
    {
        if (system.AsString() is { } text)
        {
            yield return text;
            yield break;
        }
        if (system is not JsonArray blocks)
        {
            yield break;
        }
        foreach (var block in blocks)
        {
            if (block.BlockType() == "text" && block!["text"].AsString() is { } blockText)
            {
                yield return blockText;
            }
        }
    }
}
