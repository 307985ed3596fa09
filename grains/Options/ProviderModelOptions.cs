using Microsoft.Extensions.Configuration;

namespace Gateway.Grains.Options;

/// <summary>Per-model options of a provider (SPEC §13.4).</summary>
public sealed class ProviderModelOptions
{
    /// <summary>Overrides the provider's <see cref="ProviderOptions.Type"/> for this model.</summary>
    public string? Type { get; set; }

    /// <summary>Sent as <c>temperature</c> when the request has none.</summary>
    public double? Temperature { get; set; }

    /// <summary>Sent as <c>top_p</c> when the request has none.</summary>
    public double? TopP { get; set; }

    /// <summary>Sent as <c>top_k</c> when the request has none.</summary>
    public int? TopK { get; set; }

    /// <summary>
    /// Fields merged into the upstream body (request fields win, except <c>thinking_budget</c>). Kept as the raw
    /// configuration section so that it binds the same from <c>config.json</c> and from environment variables; values
    /// are typed when the provider registry reads it (<c>true</c>/<c>false</c> → booleans, JSON numbers → numbers).
    /// </summary>
    public IConfigurationSection? ExtraBody { get; set; }

    /// <summary><c>reasoning_content</c> (default) or <c>reasoning</c>.</summary>
    public string? ReasoningField { get; set; }

    /// <summary>PDF documents go to the provider as <c>file</c> parts (SPEC §5).</summary>
    public bool? SupportPdf { get; set; }

    /// <summary><c>array</c>, <c>image</c>, <c>pdf</c>: what tool results may carry (default: strings only).</summary>
    public List<string> ToolContentSupportType { get; set; } = [];

    /// <summary>Adds <c>cache_control</c> breakpoints; default true for DashScope, false otherwise.</summary>
    public bool? ContextCache { get; set; }

    /// <summary>DashScope <c>preserve_thinking</c>; sent as true unless set.</summary>
    public bool? PreserveThinking { get; set; }

    public long? ContextWindow { get; set; }

    public long? MaxOutputTokens { get; set; }

    /// <summary>Cost estimation for this model's usage records (SPEC §15.2).</summary>
    public ModelPricingOptions? Pricing { get; set; }
}
