namespace Gateway.Api.Messages;

/// <summary>
/// What pre-processing learned about one <c>POST /v1/messages</c> request (SPEC §3, §4). The caller uses it to pick
/// the model (warmup, compact, web search), the Copilot headers (§2.4) and the usage record.
/// </summary>
public sealed record MessagesAnalysis
{
    /// <summary>A compaction request (§3.3): skips the tool_result merge, never uses the WebSocket transport.</summary>
    public bool IsCompact { get; init; }

    /// <summary>The first turn after a compaction (§3.3).</summary>
    public bool IsAutoContinue { get; init; }

    /// <summary>A Claude Code warmup (§3.4): the caller switches to the small model when the catalogue has it.</summary>
    public bool IsWarmup { get; init; }

    /// <summary>The only tool is the Anthropic <c>web_search</c> server tool (§3.6).</summary>
    public bool WebSearchOnly { get; init; }

    /// <summary>The first valid subagent marker (§4.1), or null.</summary>
    public SubagentMarker? Subagent { get; init; }

    /// <summary>The raw root session text (§4.2), or null when there is none.</summary>
    public string? RootSessionText { get; init; }

    /// <summary>The root session UUID derived from <see cref="RootSessionText"/> (§4.2), or null.</summary>
    public string? RootSessionId { get; init; }

    /// <summary>Where <see cref="RootSessionText"/> came from.</summary>
    public RootSessionSource RootSessionSource { get; init; }

    /// <summary>The user or device part of <c>metadata.user_id</c> (§4.2), or null.</summary>
    public string? UserId { get; init; }

    /// <summary><see cref="Initiator.User"/> or <see cref="Initiator.Agent"/> (§4.4).</summary>
    public string Initiator { get; init; } = Messages.Initiator.User;

    /// <summary>One of the <see cref="InteractionType"/> values (§4.4).</summary>
    public string InteractionType { get; init; } = Messages.InteractionType.ConversationAgent;

    /// <summary>Some block (also inside a tool_result) is an <c>image</c>: send <c>copilot-vision-request: true</c>.</summary>
    public bool HasImage { get; init; }

    /// <summary>
    /// The Responses <c>prompt_cache_key</c> (SPEC §9): the root session, per subagent when one is marked, so that each
    /// conversation keeps its own cached prefix.
    /// </summary>
    public string? PromptCacheKey => RootSessionText is { } root
        ? Subagent is { } marker ? $"{root}:agent:{marker.AgentId}" : root
        : null;
}

/// <summary>Origin of a root session text (SPEC §4.2).</summary>
public enum RootSessionSource
{
    None,
    /// <summary>Parsed from <c>metadata.user_id</c>.</summary>
    Metadata,
    /// <summary>Taken from a session header.</summary>
    Header,
}
