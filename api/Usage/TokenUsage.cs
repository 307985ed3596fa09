namespace Gateway.Api.Usage;

/// <summary>
/// Token counts of one request in Anthropic semantics (SPEC §15.2): <see cref="InputTokens"/> excludes cache reads
/// and cache writes. <see cref="TotalTokens"/> is the upstream total when it reported one.
/// </summary>
public readonly record struct TokenUsage(
    long InputTokens,
    long OutputTokens,
    long CacheReadInputTokens,
    long CacheCreationInputTokens,
    long? TotalTokens = null)
{
    public long EffectiveTotal => TotalTokens ?? InputTokens + OutputTokens + CacheReadInputTokens + CacheCreationInputTokens;
}
