using System.Text.Json;
using Xunit.Sdk;

namespace Gateway.Api.Tests.Translation.Chat;

/// <summary>
/// Compares two JSON texts canonically (object member order ignored, numbers by value) and fails with the path of
/// the first difference, e.g. <c>$.messages[1].content</c>, plus both whole documents.
/// </summary>
internal static class JsonAssert
{
    public static void Equal(string expected, string actual)
    {
        using var expectedDoc = JsonDocument.Parse(expected);
        using var actualDoc = JsonDocument.Parse(actual);
        if (FirstDifference(expectedDoc.RootElement, actualDoc.RootElement, "$") is { } difference)
        {
            throw new XunitException($"JSON differs at {difference}\nExpected: {Compact(expectedDoc)}\nActual:   {Compact(actualDoc)}");
        }
    }

    private static string? FirstDifference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {expected.ValueKind} {Show(expected)}, got {actual.ValueKind} {Show(actual)}";
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var property in expected.EnumerateObject())
                {
                    if (!actual.TryGetProperty(property.Name, out var actualValue))
                    {
                        return $"{path}.{property.Name}: expected {Show(property.Value)}, property missing";
                    }
                    actualNames.Remove(property.Name);
                    if (FirstDifference(property.Value, actualValue, $"{path}.{property.Name}") is { } inner)
                    {
                        return inner;
                    }
                }
                return actualNames.Count > 0
                    ? $"{path}: unexpected properties {string.Join(", ", actualNames.Order(StringComparer.Ordinal))}"
                    : null;
            case JsonValueKind.Array:
                var expectedLength = expected.GetArrayLength();
                var actualLength = actual.GetArrayLength();
                for (var i = 0; i < Math.Min(expectedLength, actualLength); i++)
                {
                    if (FirstDifference(expected[i], actual[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }
                return expectedLength == actualLength ? null : $"{path}: expected {expectedLength} items, got {actualLength}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            case JsonValueKind.Number:
                return expected.GetDecimal() == actual.GetDecimal() ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            default:
                return null;
        }
    }

    private static string Show(JsonElement element) => JsonSerializer.Serialize(element);

    private static string Compact(JsonDocument document) => JsonSerializer.Serialize(document.RootElement);
}
