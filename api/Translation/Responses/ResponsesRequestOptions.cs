using Gateway.Api.Catalog;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// Everything <see cref="AnthropicToResponsesRequest"/> needs besides the request body (SPEC §9). The caller maps
/// configuration onto it; the translator never reads configuration itself.
/// </summary>
public sealed record ResponsesRequestOptions
{
    /// <summary>Model id sent upstream (after resolution, SPEC §2.5); also the key of every per-model map below.</summary>
    public required string UpstreamModelId { get; init; }

    /// <summary>Catalogue entry of the model; null when the model is unknown.</summary>
    public ModelInfo? Model { get; init; }

    /// <summary>
    /// Raw root session text (SPEC §4.2), plus <c>:agent:&lt;agent_id&gt;</c> for a subagent; sent as
    /// <c>prompt_cache_key</c> only when the request has tools. Null: not sent.
    /// </summary>
    public string? PromptCacheKey { get; init; }

    /// <summary><c>modelReasoningEfforts</c> (SPEC §8, §18).</summary>
    public IReadOnlyDictionary<string, string> ModelReasoningEfforts { get; init; } = ResponsesDefaults.ModelReasoningEfforts;

    /// <summary><c>extraPrompts</c> (SPEC §9, §18).</summary>
    public IReadOnlyDictionary<string, string> ExtraPrompts { get; init; } = ResponsesDefaults.ExtraPrompts;

    /// <summary>
    /// <c>contextManagement.messages</c> (SPEC §11.2, default true). The model rules of §11.2 (GPT only, never
    /// GPT-5.6+) are applied on top of it by the translator.
    /// </summary>
    public bool ContextManagement { get; init; } = true;

    /// <summary><c>modelResponsesApiCompactThresholds</c> (SPEC §11.2, §18).</summary>
    public IReadOnlyDictionary<string, long> CompactThresholds { get; init; } = ResponsesDefaults.CompactThresholds;
}
