using Gateway.Api.Catalog;

namespace Gateway.Api.Translation.Responses;

/// <summary>Model rules and threshold of Responses context management (SPEC §11.2 "Context management").</summary>
public static class ResponsesContextManagement
{
    /// <summary>Threshold when neither the configured map nor the catalogue gives one (§11.2).</summary>
    public const long DefaultCompactThreshold = 170000;

    /// <summary>Only models starting <c>gpt</c>, never GPT-5.6+ (§11.2).</summary>
    public static bool AppliesTo(string modelId)
        => modelId.StartsWith("gpt", StringComparison.Ordinal) && !GptVersion.AtLeast(modelId, 5, 6);

    /// <summary>
    /// <c>modelResponsesApiCompactThresholds[model]</c>, else floor(<c>max_prompt_tokens</c> × 0.85), else 170000.
    /// </summary>
    public static long CompactThreshold(string modelId, ModelInfo? model, IReadOnlyDictionary<string, long> thresholds)
    {
        if (thresholds.TryGetValue(modelId, out var configured))
        {
            return configured;
        }
        if (model?.MaxPromptTokens is { } maxPrompt and > 0)
        {
            // Integer arithmetic keeps floor(x * 0.85) exact.
            return maxPrompt * 85 / 100;
        }
        return DefaultCompactThreshold;
    }
}
