namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// Token counts every generation endpoint reports, each in its own dialect:
/// Chat <c>prompt_tokens = InputTokens</c> with <c>prompt_tokens_details.cached_tokens = CachedTokens</c>;
/// Responses <c>input_tokens = InputTokens</c> with <c>input_tokens_details.cached_tokens</c>;
/// Anthropic <c>input_tokens = InputTokens − CachedTokens − CacheCreationTokens</c> with
/// <c>cache_read_input_tokens</c> and <c>cache_creation_input_tokens</c> (the semantics of SPEC §6 and §10).
/// </summary>
public sealed record FakeUsage(int InputTokens = 20, int OutputTokens = 10, int CachedTokens = 4, int CacheCreationTokens = 0)
{
    public int TotalTokens => InputTokens + OutputTokens;

    /// <summary>Anthropic <c>input_tokens</c>: the input that was neither read from nor written to the cache.</summary>
    public int AnthropicInputTokens => InputTokens - CachedTokens - CacheCreationTokens;
}
