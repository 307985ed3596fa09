namespace Gateway.Api.Messages;

/// <summary>Switches for <see cref="MessagesPreprocessor"/>; the caller maps them from the route and §18 settings.</summary>
public sealed record MessagesPreprocessOptions
{
    /// <summary>
    /// True for Copilot requests. Provider requests (SPEC §13.1) get §3.2 and §3.4 only: the tool_result merge (§3.5)
    /// and web search handling (§3.6) are Copilot-specific.
    /// </summary>
    public bool CopilotSteps { get; init; } = true;
}
