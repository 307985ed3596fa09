namespace Gateway.Api.Messages;

/// <summary>
/// The (major, minor) version in a Claude model id: <c>claude-opus-4.7</c>, <c>claude-opus-4-7</c>,
/// <c>claude-3-5-sonnet</c>, <c>claude-sonnet-4</c> (minor 0). Date suffixes are ignored.
/// </summary>
internal static class ClaudeVersion
{
    public static (int Major, int Minor)? Parse(string modelId)
    {
        if (!modelId.StartsWith("claude", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = modelId.Split('-');
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0 || !char.IsAsciiDigit(part[0]) || part.Length >= 8)
            {
                continue;
            }
            var dot = part.IndexOf('.');
            if (dot > 0)
            {
                return int.TryParse(part.AsSpan(0, dot), out var major) && int.TryParse(part.AsSpan(dot + 1), out var minor)
                    ? (major, minor)
                    : null;
            }
            if (!int.TryParse(part, out var whole))
            {
                return null;
            }
            // "4-7": a short number right after the major is the minor; a date (8 digits) is not.
            if (i + 1 < parts.Length && parts[i + 1].Length is > 0 and <= 2 && parts[i + 1].All(char.IsAsciiDigit))
            {
                return (whole, int.Parse(parts[i + 1]));
            }
            return (whole, 0);
        }
        return null;
    }

    public static bool AtLeast(string modelId, int major, int minor)
        => Parse(modelId) is { } v && (v.Major > major || (v.Major == major && v.Minor >= minor));
}
