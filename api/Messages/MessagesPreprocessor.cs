using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// The pure part of <c>POST /v1/messages</c> pre-processing (SPEC §3.1 steps 4–6), mutating the parsed request in
/// place and reporting what it found. Steps 2 and 3 (<see cref="SecurityMonitorDetector.ApplyClaudeAutoModel"/>,
/// <see cref="ModelMappings"/>, <see cref="ProviderAlias"/>) run before it; model switches, manual approval and
/// endpoint choice stay with the caller.
/// </summary>
public static class MessagesPreprocessor
{
    /// <param name="request">The parsed request body; mutated.</param>
    /// <param name="options">Route switches.</param>
    /// <param name="header">Request header lookup (case-insensitive by the caller), null when absent.</param>
    public static MessagesAnalysis Process(JsonObject request, MessagesPreprocessOptions options, Func<string, string?> header)
    {
        // Step 4: system messages, sessions, compaction.
        SystemMessageNormalizer.Apply(request);
        SubagentMarker.TryFind(request, out var subagent);
        var (rootText, rootSource) = RootSession.FromMessages(request, header);
        MetadataUserId.TryParse((request["metadata"] as JsonObject)?["user_id"].AsString(), out var metadataUser);
        var isCompact = CompactDetector.IsCompact(request);
        var isAutoContinue = CompactDetector.IsAutoContinue(request);

        // Step 5: warmup (the caller switches model).
        var isWarmup = WarmupDetector.IsWarmup(request);

        // Step 6: tool_result merge unless compact; web search.
        var webSearchOnly = false;
        if (options.CopilotSteps)
        {
            if (!isCompact)
            {
                ToolResultMerger.Apply(request);
            }
            webSearchOnly = WebSearchTools.Apply(request);
        }

        // §4.4: compaction wins over the subagent marker, since a subagent's compaction is still a compaction.
        var initiator = Initiator.ForMessages(request);
        var interactionType = InteractionType.ConversationAgent;
        if (isCompact)
        {
            initiator = Initiator.Agent;
            interactionType = InteractionType.ConversationCompaction;
        }
        else if (subagent is not null)
        {
            initiator = Initiator.Agent;
            interactionType = InteractionType.ConversationSubagent;
        }
        if (isAutoContinue)
        {
            initiator = Initiator.Agent;
        }

        return new MessagesAnalysis
        {
            IsCompact = isCompact,
            IsAutoContinue = isAutoContinue,
            IsWarmup = isWarmup,
            WebSearchOnly = webSearchOnly,
            Subagent = subagent,
            RootSessionText = rootText,
            RootSessionId = rootText is null ? null : RootSession.DeriveUuid(rootText),
            RootSessionSource = rootSource,
            UserId = metadataUser?.UserId,
            Initiator = initiator,
            InteractionType = interactionType,
            HasImage = HasImage(request),
        };
    }

    /// <summary>Any <c>image</c> block in the messages, including inside tool_result content.</summary>
    public static bool HasImage(JsonObject request)
    {
        if (request["messages"] is not JsonArray messages)
        {
            return false;
        }
        foreach (var message in messages)
        {
            if (message?["content"] is not JsonArray content)
            {
                continue;
            }
            foreach (var block in content)
            {
                switch (block.BlockType())
                {
                    case "image":
                        return true;
                    case "tool_result" when block!["content"] is JsonArray nested && nested.Any(b => b.BlockType() == "image"):
                        return true;
                }
            }
        }
        return false;
    }
}
