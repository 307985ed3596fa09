namespace Gateway.Testing.FakeUpstream;

/// <summary>Who may call a route, as the real upstream checks it.</summary>
internal enum UpstreamAuth
{
    None,

    /// <summary><c>authorization: token &lt;github token&gt;</c> of a known token (SPEC §2.4, GitHub API calls).</summary>
    GitHub,

    /// <summary><c>Authorization: Bearer &lt;copilot token&gt;</c> of an unexpired issued token.</summary>
    Copilot,

    /// <summary><c>x-api-key</c> or <c>Authorization: Bearer</c> with a provider key (SPEC §13.2).</summary>
    Provider,

    /// <summary><c>/v1/messages</c>, which both Copilot and <c>anthropic</c> providers serve.</summary>
    CopilotOrProvider,
}

/// <summary>The error body shape a route answers in (SPEC §17 dialects, plus GitHub's own).</summary>
internal enum ErrorDialect
{
    OpenAi,
    Anthropic,
    GitHub,
}

/// <summary>One endpoint of the fake: its method, auth, what it reads from the body, and its handler.</summary>
internal sealed record FakeRoute(
    string Method,
    UpstreamAuth Auth,
    ErrorDialect Dialect,
    Func<FakeExchange, Task> Handler,
    bool ParsesBody = false,
    bool RequiresModel = false,
    bool CollectsInputs = false);
