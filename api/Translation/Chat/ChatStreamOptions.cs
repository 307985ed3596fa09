namespace Gateway.Api.Translation.Chat;

/// <summary>Per-stream settings of <see cref="ChatToAnthropicStreamTranslator"/> (SPEC §7).</summary>
public sealed record ChatStreamOptions
{
    /// <summary>
    /// The upstream model id. Claude ids turn a <c>reasoning_opaque</c> into the signature of the open thinking block
    /// (step 4); also the <c>message_start</c> model when the upstream chunk names none.
    /// </summary>
    public required string ModelId { get; init; }

    /// <summary>
    /// <c>message_start</c> input tokens when the first chunk has no usage (SPEC §7 step 1): the lead passes the
    /// session's last value (<c>messageStartInputTokensFallback</c>) or the local estimate; null means 0.
    /// </summary>
    public long? FallbackInputTokens { get; init; }

    /// <summary>Cache-read tokens to go with <see cref="FallbackInputTokens"/>; null leaves the field out.</summary>
    public long? FallbackCacheReadInputTokens { get; init; }

    /// <summary>Provider delta field carrying reasoning text (SPEC §13.4); Copilot's <c>reasoning_text</c> is always read.</summary>
    public string ReasoningField { get; init; } = "reasoning_content";
}
