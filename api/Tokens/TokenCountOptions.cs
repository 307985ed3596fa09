namespace Gateway.Api.Tokens;

/// <summary>Configuration for the local count_tokens estimate (SPEC §14, §18).</summary>
public sealed record TokenCountOptions
{
    /// <summary><c>claudeTokenMultiplier</c>: Claude tokenizes larger than the GPT encodings, so estimates are scaled.</summary>
    public double ClaudeTokenMultiplier { get; init; } = 1.15;
}

/// <summary>What the estimate needs to know about the request besides its Chat Completions body.</summary>
/// <param name="ModelId">The resolved model id (Claude and Grok models get tool overhead and scaling).</param>
/// <param name="Tokenizer">The model's <c>capabilities.tokenizer</c>, null when unknown.</param>
/// <param name="HasAnthropicBeta">The client sent an <c>anthropic-beta</c> header.</param>
public readonly record struct TokenCountContext(string ModelId, string? Tokenizer, bool HasAnthropicBeta);
