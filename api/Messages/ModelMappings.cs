namespace Gateway.Api.Messages;

/// <summary>
/// The <c>modelMappings</c> rewrite (SPEC §13.3): exact, case-sensitive <c>source → target</c>, applied before
/// provider-alias parsing on every route. A target may itself be a <c>provider/model</c> alias.
/// </summary>
public static class ModelMappings
{
    /// <summary>Built-in entries (SPEC §18), merged under the user's own.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["codex-auto-review"] = "codex/codex-auto-review",
        ["gpt-reserve"] = "codex/gpt-reserve",
    };

    /// <summary>The mapped target, or <paramref name="model"/> unchanged when no entry matches exactly.</summary>
    public static string Apply(string model, IReadOnlyDictionary<string, string> mappings)
        => mappings.TryGetValue(model, out var target) && !string.IsNullOrEmpty(target) ? target : model;
}
