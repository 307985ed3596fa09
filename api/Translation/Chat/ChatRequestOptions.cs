using System.Text.Json.Nodes;
using Gateway.Api.Catalog;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// Everything <see cref="AnthropicToChatRequest"/> needs besides the request itself (SPEC §5, §13.4). The lead maps
/// configuration and the catalogue onto it; the translator never reads configuration itself.
/// </summary>
public sealed record ChatRequestOptions
{
    /// <summary>The resolved upstream model id (SPEC §2.5), written as <c>model</c>.</summary>
    public required string UpstreamModelId { get; init; }

    /// <summary>Catalogue facts of the model; null when the model is unknown (then no Copilot <c>thinking_budget</c>).</summary>
    public ModelInfo? Model { get; init; }

    /// <summary>True for an <c>openai-compatible</c> provider (SPEC §13), false for Copilot.</summary>
    public bool IsProvider { get; init; }

    public string? ProviderName { get; init; }

    /// <summary>Provider field holding reasoning text on assistant history: <c>reasoning_content</c> or <c>reasoning</c>.</summary>
    public string ReasoningField { get; init; } = "reasoning_content";

    /// <summary>PDF documents are sent as <c>file</c> parts; otherwise a text notice replaces them (SPEC §5).</summary>
    public bool SupportPdf { get; init; }

    public ToolContentSupport ToolContentSupport { get; init; } = ToolContentSupport.None;

    /// <summary>DashScope provider (see <see cref="IsDashScopeProvider"/>): gets <c>thinking_budget</c> and <c>preserve_thinking</c>.</summary>
    public bool IsDashScope { get; init; }

    /// <summary>Adds <c>cache_control</c> breakpoints (SPEC §13.4); null means the default: on for DashScope only.</summary>
    public bool? ContextCache { get; init; }

    /// <summary>DashScope <c>preserve_thinking</c>; null sends true unless <see cref="ExtraBody"/> sets it.</summary>
    public bool? PreserveThinking { get; init; }

    /// <summary>Per-model defaults, sent only when the request has none (SPEC §13.4).</summary>
    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    /// <summary>Per-model <c>top_k</c> default; <c>top_k</c> is only ever sent to providers.</summary>
    public int? TopK { get; init; }

    /// <summary>Merged into the body; request fields win except <c>thinking_budget</c> (SPEC §13.4).</summary>
    public JsonObject? ExtraBody { get; init; }

    internal bool EffectiveContextCache => IsProvider && (ContextCache ?? IsDashScope);

    /// <summary>SPEC §13.4: DashScope is a provider named <c>dashscope</c> or one whose base URL contains <c>aliyuncs.com</c>.</summary>
    public static bool IsDashScopeProvider(string? providerName, string? baseUrl)
        => string.Equals(providerName, "dashscope", StringComparison.OrdinalIgnoreCase)
           || (baseUrl?.Contains("aliyuncs.com", StringComparison.OrdinalIgnoreCase) ?? false);
}
