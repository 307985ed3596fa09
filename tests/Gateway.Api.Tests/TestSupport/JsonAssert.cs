using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Gateway.Api.Tests;

/// <summary>
/// Canonical JSON comparison: property order is ignored, array order and every value count. A failure names the first
/// differing path and shows both documents.
/// </summary>
internal static class JsonAssert
{
    public static void Equal(string expected, JsonNode? actual) => Equal(expected, actual?.ToJsonString() ?? "null");

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static void Equal(string expected, string actual)
    {
        using var expectedDocument = JsonDocument.Parse(expected);
        using var actualDocument = JsonDocument.Parse(actual);
        var difference = FirstDifference(expectedDocument.RootElement, actualDocument.RootElement, "$");
        if (difference is not null)
        {
            throw new XunitException(
                $"JSON differs at {difference}\nExpected: {Canonical(expectedDocument.RootElement)}\nActual:   {Canonical(actualDocument.RootElement)}");
        }
    }

    /// <summary>The path of the first difference, with what was expected and found; null when equal.</summary>
    public static string? FirstDifference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {expected.ValueKind} {Canonical(expected)}, found {actual.ValueKind} {Canonical(actual)}";
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToList();
                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToList();
                foreach (var name in expectedNames)
                {
                    if (!actual.TryGetProperty(name, out var actualValue))
                    {
                        return $"{path}.{name}: missing (expected {Canonical(expected.GetProperty(name))})";
                    }
                    var inner = FirstDifference(expected.GetProperty(name), actualValue, $"{path}.{name}");
                    if (inner is not null)
                    {
                        return inner;
                    }
                }
                var extra = actualNames.FirstOrDefault(n => !expectedNames.Contains(n));
                return extra is null ? null : $"{path}.{extra}: unexpected property {Canonical(actual.GetProperty(extra))}";
            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToList();
                var actualItems = actual.EnumerateArray().ToList();
                for (var i = 0; i < Math.Min(expectedItems.Count, actualItems.Count); i++)
                {
                    var inner = FirstDifference(expectedItems[i], actualItems[i], $"{path}[{i}]");
                    if (inner is not null)
                    {
                        return inner;
                    }
                }
                return expectedItems.Count == actualItems.Count
                    ? null
                    : $"{path}: expected {expectedItems.Count} items, found {actualItems.Count}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString()
                    ? null
                    : $"{path}: expected {Canonical(expected)}, found {Canonical(actual)}";
            case JsonValueKind.Number:
                return expected.GetDecimal() == actual.GetDecimal()
                    ? null
                    : $"{path}: expected {expected.GetRawText()}, found {actual.GetRawText()}";
            default:
                return null;
        }
    }

    public static string Canonical(JsonElement element) => JsonSerializer.Serialize(element);
}
