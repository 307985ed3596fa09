namespace Gateway.Testing.FakeUpstream;

/// <summary>When generation endpoints answer with reasoning before the text or tool call.</summary>
public enum FakeReasoning
{
    /// <summary>
    /// When the request asks for it: Chat Completions with <c>thinking_budget</c> (Copilot's Claude path, SPEC §5),
    /// Messages with <c>thinking.type</c> <c>enabled</c> or <c>adaptive</c>, Responses with a <c>reasoning</c>
    /// object whose effort is not <c>none</c>.
    /// </summary>
    WhenRequested,

    /// <summary>Always.</summary>
    Always,

    /// <summary>Never.</summary>
    Never,
}
