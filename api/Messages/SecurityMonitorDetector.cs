using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// Claude Code's security-monitor side requests (SPEC §3.1 step 2, [P3]): no tools, no meaningful stop sequences, and
/// a system prompt that introduces the monitor. With <c>claudeAutoModel</c> set they are served by that model.
/// </summary>
public static class SecurityMonitorDetector
{
    private const string SystemPrefix = "You are a security monitor for autonomous AI coding agents.";

    public static bool IsSecurityMonitor(JsonObject request)
    {
        if (request["tools"] is JsonArray { Count: > 0 } || (request["tools"] is { } tools && tools is not JsonArray))
        {
            return false;
        }
        if (!StopSequencesAllowed(request["stop_sequences"]))
        {
            return false;
        }
        return CompactDetector.SystemTexts(request["system"]).Any(t => t.StartsWith(SystemPrefix, StringComparison.Ordinal));
    }

    /// <summary>Rewrites <c>model</c> to <paramref name="claudeAutoModel"/> for a security-monitor request; true when it did.</summary>
    public static bool ApplyClaudeAutoModel(JsonObject request, string? claudeAutoModel)
    {
        if (string.IsNullOrEmpty(claudeAutoModel) || !IsSecurityMonitor(request))
        {
            return false;
        }
        request["model"] = claudeAutoModel;
        return true;
    }

    private static bool StopSequencesAllowed(JsonNode? stop)
    {
        if (stop is null)
        {
            return true;
        }
        if (stop is not JsonArray array)
        {
            return false;
        }
        return array.Count == 0
            || (array.Count == 1 && array[0].AsString() is "</block>" or "</severity>");
    }
}
