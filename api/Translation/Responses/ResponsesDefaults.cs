namespace Gateway.Api.Translation.Responses;

/// <summary>
/// Built-in defaults of the configuration maps the Responses translation uses (SPEC §18). The lead merges them into
/// configuration (§0: missing default entries are merged in) and passes the result through the option records.
/// </summary>
public static class ResponsesDefaults
{
    /// <summary>Prompt for GPT-5.3+ models without an <c>extraPrompts</c> entry (SPEC §9), in the gateway's own words.</summary>
    public const string CommentaryPrompt =
        "While you work, keep the user informed: between tool calls, write a short commentary message (one or two "
        + "sentences) saying what you just found and what you are about to do. Keep these updates brief and save the "
        + "full explanation for your final answer.";

    /// <summary><c>extraPrompts</c> entry for <c>gpt-5-mini</c> (SPEC §18).</summary>
    public const string ExplorePrompt =
        "When you need information, gather it with several read-only tool calls issued in parallel (searches, "
        + "listings, file reads) rather than one at a time. Batch related edits and commands so that every step makes "
        + "real progress, and avoid repeating calls whose results you already have.";

    /// <summary>Default <c>extraPrompts</c> (SPEC §18).</summary>
    public static IReadOnlyDictionary<string, string> ExtraPrompts { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gpt-5-mini"] = ExplorePrompt,
        ["gpt-5.3-codex"] = CommentaryPrompt,
        ["gpt-5.4-mini"] = CommentaryPrompt,
        ["gpt-5.4"] = CommentaryPrompt,
        ["gpt-5.5"] = CommentaryPrompt,
    };

    /// <summary>Default <c>modelReasoningEfforts</c> (SPEC §18).</summary>
    public static IReadOnlyDictionary<string, string> ModelReasoningEfforts => Messages.ReasoningEffortResolver.Defaults;

    /// <summary>Default <c>modelResponsesApiCompactThresholds</c> (SPEC §18).</summary>
    public static IReadOnlyDictionary<string, long> CompactThresholds { get; } = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["gpt-5.4"] = 217600,
        ["gpt-5.5"] = 217600,
    };
}
