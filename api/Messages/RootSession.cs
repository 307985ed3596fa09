using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// Root session of a request (SPEC §4.2): the text that identifies a client conversation, and the UUID derived from
/// it that becomes <c>x-interaction-id</c>, the session grain key and the usage record's <c>session_id</c>.
/// Header lookups take a delegate so callers can pass ASP.NET Core request headers without copying them.
/// </summary>
public static class RootSession
{
    private static readonly string[] _sessionHeaders = ["x-root-session-id", "x-session-id"];
    private static readonly string[] _responsesHeaders = ["session_id", "session-id", "x-root-session-id", "x-session-id"];

    /// <summary>Messages: the session of <c>metadata.user_id</c>, else the first non-blank session header.</summary>
    public static (string? Text, RootSessionSource Source) FromMessages(JsonObject request, Func<string, string?> header)
    {
        var userId = (request["metadata"] as JsonObject)?["user_id"].AsString();
        if (MetadataUserId.TryParse(userId, out var parsed) && parsed.Value.SessionId is { } session)
        {
            return (session, RootSessionSource.Metadata);
        }
        return FirstHeader(_sessionHeaders, header) is { } fromHeader
            ? (fromHeader, RootSessionSource.Header)
            : (null, RootSessionSource.None);
    }

    /// <summary>Chat Completions: <c>x-root-session-id</c>, <c>x-session-id</c>.</summary>
    public static string? FromChatHeaders(Func<string, string?> header) => FirstHeader(_sessionHeaders, header);

    /// <summary>Responses: <c>session_id</c>, <c>session-id</c>, <c>x-root-session-id</c>, <c>x-session-id</c>.</summary>
    public static string? FromResponsesHeaders(Func<string, string?> header) => FirstHeader(_responsesHeaders, header);

    /// <summary>
    /// SHA-256 of the UTF-8 text, first 16 bytes, version 4 and RFC 4122 variant bits set, lower-case
    /// <c>8-4-4-4-12</c> hex. Deterministic, so every front end derives the same id for a session.
    /// </summary>
    public static string DeriveUuid(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(text, buffer);
        return DeriveUuid(buffer);
    }

    /// <inheritdoc cref="DeriveUuid(string)"/>
    public static string DeriveUuid(ReadOnlySpan<byte> utf8)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        // Big-endian byte order keeps the hash bytes in textual order, as RFC 9562 lays them out.
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }

    private static string? FirstHeader(string[] names, Func<string, string?> header)
    {
        foreach (var name in names)
        {
            if (header(name) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return value;
            }
        }
        return null;
    }
}
