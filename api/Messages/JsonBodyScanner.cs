using System.Text.Json;

namespace Gateway.Api.Messages;

/// <summary>
/// Forward-only scans of OpenAI request bodies with <see cref="Utf8JsonReader"/>: the OpenAI routes relay bodies
/// unchanged (SPEC §11.1), so they only need a few facts and should not build a DOM.
/// </summary>
internal static class JsonBodyScanner
{
    /// <summary>The roles §4.4 distinguishes; read without allocating a string per message.</summary>
    internal enum ItemRole
    {
        /// <summary>No <c>role</c> string (e.g. a Responses <c>function_call_output</c> item).</summary>
        None,
        Assistant,
        Tool,
        Other,
    }

    /// <summary>Facts about the top-level array of items (<c>messages</c> or <c>input</c>).</summary>
    internal record struct ItemsFacts(bool LastIsObject, ItemRole LastRole, bool HasImage, int Count);

    /// <summary>
    /// Walks the array the reader is positioned on (its <c>StartArray</c>); for every object item reads the item-level
    /// <c>role</c>, and anywhere inside looks for <c>"type": &lt;imageType&gt;</c>. Ends on the array's <c>EndArray</c>.
    /// </summary>
    public static ItemsFacts ScanItems(ref Utf8JsonReader reader, ReadOnlySpan<byte> imageType)
    {
        var facts = default(ItemsFacts);
        var hasImage = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            facts.Count++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                facts.LastIsObject = false;
                facts.LastRole = ItemRole.None;
                reader.Skip();
                continue;
            }
            facts.LastIsObject = true;
            facts.LastRole = ScanItem(ref reader, imageType, ref hasImage);
        }
        facts.HasImage = hasImage;
        return facts;
    }

    private static ItemRole ScanItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> imageType, ref bool hasImage)
    {
        var itemDepth = reader.CurrentDepth;
        var role = ItemRole.None;
        while (reader.Read())
        {
            if (reader.CurrentDepth == itemDepth && reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }
            var isRole = reader.CurrentDepth == itemDepth + 1 && reader.ValueTextEquals("role"u8);
            var isType = !isRole && !hasImage && reader.ValueTextEquals("type"u8);
            if (!isRole && !isType)
            {
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                continue;
            }
            if (isRole)
            {
                role = reader.ValueTextEquals("assistant"u8) ? ItemRole.Assistant
                    : reader.ValueTextEquals("tool"u8) ? ItemRole.Tool
                    : ItemRole.Other;
            }
            else if (reader.ValueTextEquals(imageType))
            {
                hasImage = true;
            }
        }
        return role;
    }

    /// <summary>Reads the value after a property name: its string, or null (skipping any container).</summary>
    public static string? ReadStringOrSkip(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        reader.Skip();
        return null;
    }

    /// <summary>Reads the value after a property name: true only for the literal <c>true</c> (skipping any container).</summary>
    public static bool ReadTrueOrSkip(ref Utf8JsonReader reader)
    {
        reader.Read();
        var value = reader.TokenType == JsonTokenType.True;
        reader.Skip();
        return value;
    }
}
