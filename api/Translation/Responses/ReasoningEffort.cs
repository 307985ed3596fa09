using Gateway.Api.Catalog;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// Reasoning-effort resolution of SPEC §8 ("Effort"), shared by the native Messages passthrough (§8) and the
/// Responses translation (§9).
/// </summary>
public static class ReasoningEffort
{
    /// <summary>
    /// The unclamped §8 value: the request's effort, else <c>modelReasoningEfforts[model]</c>, else the built-in
    /// default (<c>xhigh</c> for GPT-5.3+, <c>high</c> otherwise).
    /// </summary>
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

    /// <summary>A value the model does not list in <c>reasoning_effort</c> becomes the list's last element (§8).</summary>
    public static string Clamp(string effort, ModelInfo? model)
    {
        if (model is null || model.ReasoningEfforts.Count == 0 || model.ReasoningEfforts.Contains(effort, StringComparer.Ordinal))
        {
            return effort;
        }
        return model.ReasoningEfforts[^1];
    }

    /// <summary>Anthropic's effort scale on the Messages path (§8): <c>none</c>/<c>minimal</c> → <c>low</c>, <c>xhigh</c> → <c>max</c>.</summary>
    public static string ToMessagesScale(string effort) => effort switch
    {
        "none" or "minimal" => "low",
        "xhigh" => "max",
        _ => effort,
    };

    /// <summary>§9: resolution clamped to the model's list (Responses accepts the OpenAI scale as is).</summary>
    public static string ForResponses(string? requested, string modelId, ModelInfo? model, IReadOnlyDictionary<string, string> modelReasoningEfforts)
        => Clamp(Resolve(requested, modelId, modelReasoningEfforts), model);

    /// <summary>§8 native passthrough: resolution, mapped to Anthropic's scale, then clamped to the model's list.</summary>
    public static string ForMessages(string? requested, string modelId, ModelInfo? model, IReadOnlyDictionary<string, string> modelReasoningEfforts)
        => Clamp(ToMessagesScale(Resolve(requested, modelId, modelReasoningEfforts)), model);
}
