using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gateway.Api.Providers;

/// <summary>
/// Turns a configuration section back into JSON (for <c>extraBody</c>, SPEC §13.4). Configuration keeps only strings,
/// so types are inferred the way a JSON author meant them: <c>true</c>/<c>false</c> become booleans, JSON numbers
/// numbers, <c>null</c> null, anything else a string; a section whose keys are 0..n-1 becomes an array. The same
/// value therefore works from <c>config.json</c> and from <c>Gateway__...</c> environment variables.
/// </summary>
public static partial class ConfigurationJson
{
    public static JsonObject? ToObject(IConfigurationSection? section)
    {
        if (section is null)
        {
            return null;
        }
        var children = section.GetChildren().ToList();
        return children.Count == 0 ? null : (JsonObject)Convert(children);
    }

    private static JsonNode? Convert(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        return children.Count == 0 ? Scalar(section.Value) : Convert(children);
    }

    private static JsonNode Convert(List<IConfigurationSection> children)
    {
        var indices = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indices.All(i => i >= 0) && indices.Order().SequenceEqual(Enumerable.Range(0, children.Count)))
        {
            var array = new JsonArray();
            foreach (var child in children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
            {
                array.Add(Convert(child));
            }
            return array;
        }
        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = Convert(child);
        }
        return obj;
    }

    private static JsonNode? Scalar(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (bool.TryParse(value, out var flag))
        {
            return JsonValue.Create(flag);
        }
        if (value == "null")
        {
            return null;
        }
        if (JsonNumber().IsMatch(value))
        {
            return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                ? JsonValue.Create(whole)
                : JsonValue.Create(double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}
