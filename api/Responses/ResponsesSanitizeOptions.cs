using Gateway.Api.Catalog;
using Gateway.Api.Translation.Responses;

namespace Gateway.Api.Responses;

/// <summary>What <see cref="ResponsesSanitizer"/> needs to know about the target model and the configuration (SPEC §11.2, §18).</summary>
public sealed record ResponsesSanitizeOptions
{
    /// <summary>The Copilot model id the request goes to (after mappings and catalogue resolution).</summary>
    public required string UpstreamModelId { get; init; }

    /// <summary>Its catalogue entry: the <c>reasoning_effort</c> list and <c>vision.max_prompt_image_size</c>.</summary>
    public ModelInfo? Model { get; init; }

    /// <summary><c>useFunctionApplyPatch</c> (default true).</summary>
    public bool UseFunctionApplyPatch { get; init; } = true;

    /// <summary><c>useResponsesApiWebSearch</c> (default true: <c>web_search</c> tools are kept).</summary>
    public bool UseWebSearch { get; init; } = true;

    /// <summary><c>contextManagement.responses</c> (default false).</summary>
    public bool ContextManagement { get; init; }

    /// <summary><c>modelResponsesApiCompactThresholds</c>, with the built-in defaults merged in.</summary>
    public IReadOnlyDictionary<string, long> CompactThresholds { get; init; } = ResponsesDefaults.CompactThresholds;
}
