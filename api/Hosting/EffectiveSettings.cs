using Gateway.Api.Admin;
using Gateway.Api.Messages;
using Gateway.Api.Translation.Responses;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Hosting;

/// <summary>
/// Configuration as the request path uses it: map fields with built-in defaults (SPEC §18) merged once, user entries
/// winning, so handlers do no per-request merging.
/// </summary>
public sealed class EffectiveSettings(IOptions<GatewayOptions> options, ModelMappingsStore? modelMappings = null)
{
    public GatewayOptions Options { get; } = options.Value;

    private readonly IReadOnlyDictionary<string, string> _configuredModelMappings = Merge(Messages.ModelMappings.Defaults, options.Value.ModelMappings);

    /// <summary>The current map: admin edits (SPEC §13.3) apply at once, so this is read per request, never cached.</summary>
    public IReadOnlyDictionary<string, string> ModelMappings => modelMappings?.Current ?? _configuredModelMappings;

    public IReadOnlyDictionary<string, string> ModelReasoningEfforts { get; } = Merge(ReasoningEffortResolver.Defaults, options.Value.ModelReasoningEfforts);

    public IReadOnlyDictionary<string, string> ExtraPrompts { get; } = Merge(ResponsesDefaults.ExtraPrompts, options.Value.ExtraPrompts);

    public IReadOnlyDictionary<string, long> CompactThresholds { get; } = Merge(ResponsesDefaults.CompactThresholds, options.Value.ModelResponsesApiCompactThresholds);

    /// <summary><c>smallModels.copilot</c> (legacy <c>smallModel</c> sets it), default <c>gpt-6-luna</c>.</summary>
    public string CopilotSmallModel { get; } =
        options.Value.SmallModels.GetValueOrDefault("copilot") ?? options.Value.SmallModel ?? "gpt-6-luna";

    public string? AnthropicApiKey { get; } =
        string.IsNullOrWhiteSpace(options.Value.AnthropicApiKey) ? Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY") : options.Value.AnthropicApiKey;

    private static Dictionary<string, T> Merge<T>(IReadOnlyDictionary<string, T> defaults, IReadOnlyDictionary<string, T> configured)
    {
        var merged = new Dictionary<string, T>(defaults, StringComparer.Ordinal);
        foreach (var (key, value) in configured)
        {
            merged[key] = value;
        }
        return merged;
    }
}
