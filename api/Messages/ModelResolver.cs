namespace Gateway.Api.Messages;

/// <summary>
/// Maps a requested model id onto a catalogue id (SPEC §2.5): exact; else without a trailing <c>[1m]</c>
/// (case-insensitive); else with <c>-</c> between two digits read as <c>.</c> and the reverse; else without a trailing
/// <c>-YYYYMMDD</c>. The fallbacks compose, so <c>claude-sonnet-4-5-20250929[1m]</c> finds <c>claude-sonnet-4.5</c>.
/// An unresolved id is returned as given.
/// </summary>
public static class ModelResolver
{
    private const string LongContextSuffix = "[1m]";

    public static string Resolve(string requested, IReadOnlyCollection<string> catalogueIds)
    {
        if (catalogueIds.Contains(requested))
        {
            return requested;
        }
        var baseId = requested.EndsWith(LongContextSuffix, StringComparison.OrdinalIgnoreCase)
            ? requested[..^LongContextSuffix.Length]
            : requested;
        if (TryVariants(baseId, catalogueIds) is { } found)
        {
            return found;
        }
        if (StripDateSuffix(baseId) is { } undated && TryVariants(undated, catalogueIds) is { } foundUndated)
        {
            return foundUndated;
        }
        return requested;
    }

    private static string? TryVariants(string id, IReadOnlyCollection<string> catalogueIds)
    {
        if (catalogueIds.Contains(id))
        {
            return id;
        }
        var dotted = SwapBetweenDigits(id, '-', '.');
        if (dotted is not null && catalogueIds.Contains(dotted))
        {
            return dotted;
        }
        var dashed = SwapBetweenDigits(id, '.', '-');
        if (dashed is not null && catalogueIds.Contains(dashed))
        {
            return dashed;
        }
        return null;
    }

    /// <summary>Replaces every <paramref name="from"/> that sits between two ASCII digits; null when there is none.</summary>
    private static string? SwapBetweenDigits(string id, char from, char to)
    {
        char[]? chars = null;
        for (var i = 1; i < id.Length - 1; i++)
        {
            if (id[i] == from && char.IsAsciiDigit(id[i - 1]) && char.IsAsciiDigit(id[i + 1]))
            {
                chars ??= id.ToCharArray();
                chars[i] = to;
            }
        }
        return chars is null ? null : new string(chars);
    }

    private static string? StripDateSuffix(string id)
    {
        // "-YYYYMMDD": a dash and exactly eight digits at the end.
        const int suffixLength = 9;
        if (id.Length <= suffixLength || id[^suffixLength] != '-')
        {
            return null;
        }
        foreach (var c in id.AsSpan(id.Length - 8))
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }
        return id[..^suffixLength];
    }
}
