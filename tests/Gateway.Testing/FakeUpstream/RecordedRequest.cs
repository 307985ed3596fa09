using System.Text;
using System.Text.Json;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// One request the fake upstream received, captured before it was answered.
/// <see cref="Headers"/> is case-insensitive; a header sent several times has its values joined with <c>", "</c>.
/// </summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    DateTimeOffset ReceivedAt)
{
    private volatile bool _aborted;

    /// <summary>
    /// True when the connection went away before the response finished: the client cancelled or disconnected, or a
    /// <see cref="Fault.DropAfterEvents"/> / <see cref="Fault.Hang"/> fault ended it (observed through
    /// <c>HttpContext.RequestAborted</c>).
    /// </summary>
    public bool Aborted => _aborted;

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Parses the body; the caller disposes the document.</summary>
    public JsonDocument Json() => JsonDocument.Parse(Body);

    /// <summary>The header's value, or null when it was not sent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    internal void MarkAborted() => _aborted = true;
}
