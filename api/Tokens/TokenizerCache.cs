using System.Collections.Concurrent;
using SharpToken;

namespace Gateway.Api.Tokens;

/// <summary>
/// SharpToken encodings by name (SPEC §14 step 3). Building an encoding parses its whole vocabulary (hundreds of
/// milliseconds), so each is built once per process.
/// </summary>
public static class TokenizerCache
{
    public const string DefaultName = "o200k_base";

    private static readonly HashSet<string> _known = new(StringComparer.Ordinal)
    {
        "o200k_base", "cl100k_base", "p50k_base", "p50k_edit", "r50k_base",
    };

    private static readonly ConcurrentDictionary<string, Lazy<GptEncoding>> _encodings = new(StringComparer.Ordinal);

    /// <summary>The encoding for a catalogue <c>capabilities.tokenizer</c> value; <c>o200k_base</c> when unknown or null.</summary>
    public static GptEncoding Get(string? name)
        => _encodings.GetOrAdd(Normalize(name), static n => new Lazy<GptEncoding>(() => GptEncoding.GetEncoding(n))).Value;

    /// <summary>The name <see cref="Get"/> resolves <paramref name="name"/> to.</summary>
    public static string Normalize(string? name) => name is not null && _known.Contains(name) ? name : DefaultName;
}
