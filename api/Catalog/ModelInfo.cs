namespace Gateway.Api.Catalog;

/// <summary>
/// What the gateway uses of one Copilot catalogue entry (SPEC §2.5). Values absent upstream are null.
/// </summary>
public sealed record ModelInfo
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? Vendor { get; init; }
    /// <summary>e.g. <c>chat</c> or <c>embeddings</c> (<c>capabilities.type</c>).</summary>
    public string? Type { get; init; }
    /// <summary><c>/chat/completions</c>, <c>/responses</c>, <c>ws:/responses</c>, <c>/v1/messages</c>.</summary>
    public IReadOnlyList<string> SupportedEndpoints { get; init; } = [];
    public long? MaxContextWindowTokens { get; init; }
    public long? MaxOutputTokens { get; init; }
    public long? MaxPromptTokens { get; init; }
    public long? VisionMaxPromptImageSize { get; init; }
    public bool SupportsToolCalls { get; init; }
    public bool SupportsVision { get; init; }
    public bool SupportsAdaptiveThinking { get; init; }
    /// <summary><c>capabilities.supports.reasoning_effort</c>, in upstream order; empty when not listed.</summary>
    public IReadOnlyList<string> ReasoningEfforts { get; init; } = [];
    public long? MinThinkingBudget { get; init; }
    public long? MaxThinkingBudget { get; init; }
    /// <summary><c>capabilities.tokenizer</c>, e.g. <c>o200k_base</c>.</summary>
    public string? Tokenizer { get; init; }

    public bool IsClaude => Id.StartsWith("claude", StringComparison.Ordinal);

    public bool Supports(string endpoint) => SupportedEndpoints.Contains(endpoint, StringComparer.Ordinal);
}
