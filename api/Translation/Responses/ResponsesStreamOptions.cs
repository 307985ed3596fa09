namespace Gateway.Api.Translation.Responses;

/// <summary>Per-stream inputs of <see cref="ResponsesToAnthropicStreamTranslator"/>.</summary>
public sealed record ResponsesStreamOptions
{
    /// <summary>The client's §12 bridge tool name (<see cref="ResponsesRequestInfo.ToolSearchToolName"/>); null when inactive.</summary>
    public string? ToolSearchToolName { get; init; }

    /// <summary>
    /// <c>message_start</c> input tokens when <c>response.created</c> carries no usage: the fallback of SPEC §7 step 1
    /// (last seen for the root session and model, or the local estimate), computed by the caller. Null: 0.
    /// </summary>
    public long? MessageStartInputTokens { get; init; }

    /// <summary>Cache-read tokens of the same fallback; null: not reported in <c>message_start</c>.</summary>
    public long? MessageStartCacheReadInputTokens { get; init; }
}
