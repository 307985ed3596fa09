using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Tests.Messages;

/// <summary>Canonical JSON comparison: property order is ignored, the first difference is reported by path.</summary>
internal static class JsonAssert
{
    public static void Equal(string expectedJson, JsonNode? actual)
        => Equal(expectedJson, actual?.ToJsonString() ?? "null");

    public static void Equal(string expectedJson, string actualJson)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        using var actual = JsonDocument.Parse(actualJson);
        if (FirstDifference(expected.RootElement, actual.RootElement, "$") is { } difference)
        {
            Assert.Fail($"JSON differs at {difference}\nexpected: {Canonical(expected.RootElement)}\nactual:   {Canonical(actual.RootElement)}");
        }
    }

    internal static string? FirstDifference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind
            && !(expected.ValueKind is JsonValueKind.True or JsonValueKind.False && actual.ValueKind is JsonValueKind.True or JsonValueKind.False))
        {
            return $"{path}: expected {expected.ValueKind} {expected.GetRawText()}, got {actual.ValueKind} {actual.GetRawText()}";
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToHashSet();
                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet();
                foreach (var missing in expectedNames.Except(actualNames))
                {
                    return $"{path}.{missing}: missing";
                }
                foreach (var extra in actualNames.Except(expectedNames))
                {
                    return $"{path}.{extra}: unexpected, value {actual.GetProperty(extra).GetRawText()}";
                }
                foreach (var property in expected.EnumerateObject())
                {
                    if (FirstDifference(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}") is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var expectedItems = expected.EnumerateArray().ToList();
                var actualItems = actual.EnumerateArray().ToList();
                for (var i = 0; i < Math.Min(expectedItems.Count, actualItems.Count); i++)
                {
                    if (FirstDifference(expectedItems[i], actualItems[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }
                return expectedItems.Count == actualItems.Count
                    ? null
                    : $"{path}: expected {expectedItems.Count} items, got {actualItems.Count}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString()
                    ? null
                    : $"{path}: expected \"{expected.GetString()}\", got \"{actual.GetString()}\"";
            case JsonValueKind.Number:
                return expected.GetDecimal() == actual.GetDecimal()
                    ? null
                    : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            default:
                return expected.ValueKind == actual.ValueKind ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
        }
    }

    private static string Canonical(JsonElement element) => JsonSerializer.Serialize(element);

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
