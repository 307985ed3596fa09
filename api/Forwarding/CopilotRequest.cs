using Gateway.Api.Errors;

namespace Gateway.Api.Forwarding;

/// <summary>
/// One generation (or embeddings) request to send to Copilot: the upstream path, the body bytes as they go out, and
/// the per-request header values of SPEC §2.4 / §4.
/// </summary>
public sealed record CopilotRequest
{
    /// <summary>Upstream path below the account's Copilot base URL, e.g. <c>/chat/completions</c>.</summary>
    public required string Path { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public required ErrorDialect Dialect { get; init; }

    /// <summary><c>x-initiator</c>: <c>user</c> or <c>agent</c>; null on non-generation calls (embeddings).</summary>
    public string? Initiator { get; init; }

    public string InteractionType { get; init; } = "conversation-agent";

    /// <summary>The root session UUID (SPEC §4.2), sent as <c>x-interaction-id</c>.</summary>
    public string? InteractionId { get; init; }

    /// <summary><c>x-request-id</c> / <c>x-agent-task-id</c>; a random UUID when null.</summary>
    public string? RequestId { get; init; }

    public bool Vision { get; init; }

    /// <summary>The messages-proxy header set sends no <c>copilot-integration-id</c> (SPEC §2.4).</summary>
    public bool OmitIntegrationId { get; init; }

    /// <summary>Extra upstream headers (e.g. filtered <c>anthropic-beta</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];
}
