namespace Gateway.Api.Messages;

/// <summary>Values of the Copilot <c>x-interaction-type</c> header (SPEC §2.4, §4.4).</summary>
public static class InteractionType
{
    public const string ConversationAgent = "conversation-agent";
    public const string ConversationSubagent = "conversation-subagent";
    public const string ConversationCompaction = "conversation-compaction";
    /// <summary>The messages-proxy header set (§8) always sends this, whatever the request is.</summary>
    public const string MessagesProxy = "messages-proxy";
}
