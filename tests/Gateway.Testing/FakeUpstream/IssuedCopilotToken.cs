namespace Gateway.Testing.FakeUpstream;

/// <summary>A Copilot token handed out by <c>GET /copilot_internal/v2/token</c> (SPEC §2.3).</summary>
public sealed record IssuedCopilotToken(string Token, string GitHubToken, string Login, DateTimeOffset ExpiresAt);
