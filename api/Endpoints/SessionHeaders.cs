namespace Gateway.Api.Endpoints;

/// <summary>Root session of the OpenAI-dialect routes (SPEC §4.2): headers only.</summary>
public static class SessionHeaders
{
    /// <summary>The root session UUID from <c>x-root-session-id</c> / <c>x-session-id</c>, or null.</summary>
    public static string? InteractionId(IHeaderDictionary headers)
        => Messages.RootSession.FromChatHeaders(name => headers.TryGetValue(name, out var v) ? v.ToString() : null) is { } text
            ? Messages.RootSession.DeriveUuid(text)
            : null;
}
