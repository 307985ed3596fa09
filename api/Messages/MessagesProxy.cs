namespace Gateway.Api.Messages;

/// <summary>When the Copilot call uses the messages-proxy header set (SPEC §8 last bullet, §2.4).</summary>
public static class MessagesProxy
{
    /// <summary>
    /// Claude Code-style requests: <c>metadata.user_id</c> parsed into both a user/device id and a session id.
    /// A session taken from a header does not count.
    /// </summary>
    public static bool Applies(MessagesAnalysis analysis)
        => analysis.UserId is not null && analysis.RootSessionSource == RootSessionSource.Metadata;
}
