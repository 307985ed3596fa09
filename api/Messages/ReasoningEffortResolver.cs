using Gateway.Api.Catalog;

namespace Gateway.Api.Messages;

/// <summary>
/// Reasoning-effort resolution (SPEC §8, reused by §9): the request's own value, else <c>modelReasoningEfforts</c>,
/// else the built-in default (<c>xhigh</c> for GPT-5.3+, <c>high</c> otherwise), clamped to the model's list.
/// </summary>
public static class ReasoningEffortResolver
{
    /// <summary>Built-in <c>modelReasoningEfforts</c> entries (SPEC §18), merged under the user's own.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gpt-5-mini"] = "low",
        ["gpt-5.3-codex"] = "xhigh",
        ["gpt-5.4-mini"] = "xhigh",
        ["gpt-5.4"] = "xhigh",
        ["gpt-5.5"] = "xhigh",
    };

    /// <summary>Request value, else the configured value for <paramref name="modelId"/>, else the built-in default.</summary>
    public static string Resolve(string? requested, string modelId, IReadOnlyDictionary<string, string> modelReasoningEfforts)
    {
        if (!string.IsNullOrEmpty(requested))
        {
            return requested;
        }
        if (modelReasoningEfforts.TryGetValue(modelId, out var configured) && !string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        return GptVersion.AtLeast(modelId, 5, 3) ? "xhigh" : "high";
    }

    /// <summary>When the model lists efforts and <paramref name="effort"/> is not among them, the list's last element.</summary>
    public static string ClampToModel(string effort, ModelInfo? model)
        => model is { ReasoningEfforts.Count: > 0 } && !model.ReasoningEfforts.Contains(effort, StringComparer.Ordinal)
            ? model.ReasoningEfforts[^1]
            : effort;

    /// <summary>§9: the resolution clamped to the model's list (Responses takes the OpenAI scale as is).</summary>
    public static string ForResponses(string? requested, string modelId, ModelInfo? model, IReadOnlyDictionary<string, string> modelReasoningEfforts)
        => ClampToModel(Resolve(requested, modelId, modelReasoningEfforts), model);

    /// <summary>
    /// The native Messages <c>output_config.effort</c> (§8): resolved, then mapped onto the Anthropic scale
    /// (<c>none</c>/<c>minimal</c> → <c>low</c>, <c>xhigh</c> → <c>max</c>), then clamped to the model's list.
    /// </summary>
    public static string ForNativeMessages(string? requested, string modelId, ModelInfo? model, IReadOnlyDictionary<string, string> modelReasoningEfforts)
    {
        var effort = Resolve(requested, modelId, modelReasoningEfforts) switch
        {
            "none" or "minimal" => "low",
            "xhigh" => "max",
            var other => other,
        };
        return ClampToModel(effort, model);
    }
}
