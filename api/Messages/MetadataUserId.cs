using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Gateway.Api.Messages;

/// <summary>
/// Anthropic <c>metadata.user_id</c> as Claude Code fills it (SPEC §4.2): legacy
/// <c>user_&lt;u&gt;_account_&lt;a&gt;_session_&lt;s&gt;</c>, or a JSON object string with <c>device_id</c> or
/// <c>account_uuid</c> and <c>session_id</c>.
/// </summary>
public readonly record struct MetadataUserId(string? UserId, string? SessionId)
{
    private const string UserPrefix = "user_";
    private const string AccountPart = "_account_";
    private const string SessionPart = "_session_";

    /// <summary>True when <paramref name="value"/> yields a user/device id or a session id (non-empty).</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out MetadataUserId? parsed)
    {
        parsed = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        var result = value.TrimStart().StartsWith('{') ? ParseJson(value) : ParseLegacy(value);
        if (result is { UserId: null, SessionId: null })
        {
            return false;
        }
        parsed = result;
        return true;
    }

    private static MetadataUserId ParseLegacy(string value)
    {
        if (!value.StartsWith(UserPrefix, StringComparison.Ordinal))
        {
            return default;
        }
        var account = value.IndexOf(AccountPart, UserPrefix.Length, StringComparison.Ordinal);
        if (account < 0)
        {
            return default;
        }
        var session = value.IndexOf(SessionPart, account + AccountPart.Length, StringComparison.Ordinal);
        if (session < 0)
        {
            return default;
        }
        var user = value[UserPrefix.Length..account];
        var sessionId = value[(session + SessionPart.Length)..];
        return new MetadataUserId(NullIfEmpty(user), NullIfEmpty(sessionId));
    }

    private static MetadataUserId ParseJson(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }
            var user = StringProperty(root, "device_id") ?? StringProperty(root, "account_uuid");
            return new MetadataUserId(user, StringProperty(root, "session_id"));
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? StringProperty(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? NullIfEmpty(v.GetString()) : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
