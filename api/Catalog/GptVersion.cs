namespace Gateway.Api.Catalog;

/// <summary>
/// "GPT version" of SPEC's terms: for ids <c>gpt-&lt;major&gt;[.&lt;minor&gt;]</c> followed by the end or <c>-</c>,
/// the pair (major, minor ?? 0). "GPT-5.3+" means version ≥ (5,3).
/// </summary>
public static class GptVersion
{
    public static (int Major, int Minor)? Parse(string modelId)
    {
        if (!modelId.StartsWith("gpt-", StringComparison.Ordinal))
        {
            return null;
        }
        var span = modelId.AsSpan(4);
        var i = 0;
        while (i < span.Length && char.IsAsciiDigit(span[i]))
        {
            i++;
        }
        if (i == 0 || !int.TryParse(span[..i], out var major))
        {
            return null;
        }
        var minor = 0;
        if (i < span.Length && span[i] == '.')
        {
            var start = ++i;
            while (i < span.Length && char.IsAsciiDigit(span[i]))
            {
                i++;
            }
            if (i == start || !int.TryParse(span[start..i], out minor))
            {
                return null;
            }
        }
        if (i < span.Length && span[i] != '-')
        {
            return null;
        }
        return (major, minor);
    }

    /// <summary>True when <paramref name="modelId"/> is a GPT version ≥ (<paramref name="major"/>, <paramref name="minor"/>).</summary>
    public static bool AtLeast(string modelId, int major, int minor)
        => Parse(modelId) is { } v && (v.Major > major || (v.Major == major && v.Minor >= minor));
}
