using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// The subagent marker (SPEC §4.1) that the Claude Code agent-inject plugin and the opencode plugin put into a
/// subagent's first user message: <c>__SUBAGENT_MARKER__{"session_id","agent_id","agent_type"}</c> inside a
/// <c>&lt;system-reminder&gt;</c> section. It turns the request into <c>conversation-subagent</c> agent traffic.
/// </summary>
public sealed record SubagentMarker(string SessionId, string AgentId, string AgentType)
{
    private const string Tag = "__SUBAGENT_MARKER__";
    private const string ReminderOpen = "<system-reminder>";
    private const string ReminderClose = "</system-reminder>";

    /// <summary>Searches the text blocks of the first user message with array content; the first valid marker wins.</summary>
    public static bool TryFind(JsonObject request, [NotNullWhen(true)] out SubagentMarker? marker)
    {
        marker = null;
        if (request["messages"] is not JsonArray messages)
        {
            return false;
        }
        var firstUser = messages.FirstOrDefault(m => m.Role() == "user" && m!["content"] is JsonArray);
        if (firstUser?["content"] is not JsonArray content)
        {
            return false;
        }
        foreach (var block in content)
        {
            if (block.BlockType() != "text" || block!["text"].AsString() is not { } text)
            {
                continue;
            }
            var outcome = ScanText(text, out marker);
            if (outcome == ScanOutcome.Found && marker is not null)
            {
                return true;
            }
            if (outcome == ScanOutcome.Stop)
            {
                return false;
            }
        }
        return false;
    }

    internal enum ScanOutcome
    {
        NotFound,
        Found,
        /// <summary>An unclosed <c>&lt;system-reminder&gt;</c> ends the whole search.</summary>
        Stop,
    }

    internal static ScanOutcome ScanText(string text, out SubagentMarker? marker)
    {
        marker = null;
        var position = 0;
        while (true)
        {
            var open = text.IndexOf(ReminderOpen, position, StringComparison.Ordinal);
            if (open < 0)
            {
                return ScanOutcome.NotFound;
            }
            var sectionStart = open + ReminderOpen.Length;
            var close = text.IndexOf(ReminderClose, sectionStart, StringComparison.Ordinal);
            if (close < 0)
            {
                return ScanOutcome.Stop;
            }
            if (ScanSection(text, sectionStart, close, out marker))
            {
                return ScanOutcome.Found;
            }
            position = close + ReminderClose.Length;
        }
    }

    private static bool ScanSection(string text, int start, int end, [NotNullWhen(true)] out SubagentMarker? marker)
    {
        marker = null;
        var position = start;
        while (position < end)
        {
            var tag = text.IndexOf(Tag, position, end - position, StringComparison.Ordinal);
            if (tag < 0)
            {
                return false;
            }
            position = tag + Tag.Length;
            var brace = position;
            while (brace < end && char.IsWhiteSpace(text[brace]))
            {
                brace++;
            }
            if (brace >= end || text[brace] != '{')
            {
                continue;
            }
            var closing = FindObjectEnd(text, brace, end);
            if (closing >= 0 && TryParse(text.AsMemory(brace, closing - brace + 1), out marker))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Index of the brace closing the object that opens at <paramref name="open"/>, braces inside JSON strings ignored; -1 if unbalanced.</summary>
    private static int FindObjectEnd(string text, int open, int end)
    {
        var depth = 0;
        var inString = false;
        for (var i = open; i < end; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when --depth == 0:
                    return i;
            }
        }
        return -1;
    }

    private static bool TryParse(ReadOnlyMemory<char> json, [NotNullWhen(true)] out SubagentMarker? marker)
    {
        marker = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && NonEmptyString(root, "session_id") is { } sessionId
                && NonEmptyString(root, "agent_id") is { } agentId
                && NonEmptyString(root, "agent_type") is { } agentType)
            {
                marker = new SubagentMarker(sessionId, agentId, agentType);
                return true;
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? NonEmptyString(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
