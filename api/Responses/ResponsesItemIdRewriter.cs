using System.Text.Json;

namespace Gateway.Api.Responses;

/// <summary>
/// The item id fix of SPEC §11.2 for one Responses stream: Copilot sometimes sends delta events whose <c>item_id</c>
/// differs from the id <c>response.output_item.added</c> announced for the same <c>output_index</c>, which breaks
/// clients that match deltas to items by id. Such events are rewritten to the announced id; every other event
/// passes as it came. Ids are compared as raw UTF-8 bytes, so a matching event costs no allocation.
/// </summary>
public sealed class ResponsesItemIdRewriter
{
    private byte[]?[] _announced = new byte[]?[4];

    /// <summary>
    /// Looks at one event's <c>data</c> JSON; returns true with the rewritten data when its <c>item_id</c> had to
    /// change, false when the event passes unchanged.
    /// </summary>
    public bool TryRewrite(ReadOnlySpan<byte> data, out byte[] rewritten)
    {
        rewritten = [];
        var isAdded = data.IndexOf("response.output_item.added"u8) >= 0;
        if (!isAdded && data.IndexOf("\"item_id\""u8) < 0)
        {
            return false;
        }
        if (!TryRead(data, out var type, out var outputIndex, out var itemIdToken, out var announcedIdToken) || outputIndex < 0)
        {
            return false;
        }
        if (type == EventKind.OutputItemAdded)
        {
            if (announcedIdToken.End.Value > 0)
            {
                Remember(outputIndex, Unquoted(data, announcedIdToken).ToArray());
            }
            return false;
        }
        if (itemIdToken.End.Value == 0 || outputIndex >= _announced.Length || _announced[outputIndex] is not { } expected
            || Unquoted(data, itemIdToken).SequenceEqual(expected))
        {
            return false;
        }
        var (start, end) = (itemIdToken.Start.Value, itemIdToken.End.Value);
        rewritten = new byte[data.Length - (end - start) + expected.Length + 2];
        var span = rewritten.AsSpan();
        data[..start].CopyTo(span);
        span[start] = (byte)'"';
        expected.CopyTo(span[(start + 1)..]);
        span[start + 1 + expected.Length] = (byte)'"';
        data[end..].CopyTo(span[(start + 2 + expected.Length)..]);
        return true;
    }

    /// <summary>A string token without its quotes: the raw (possibly escaped) value bytes.</summary>
    private static ReadOnlySpan<byte> Unquoted(ReadOnlySpan<byte> data, Range token) => data[(token.Start.Value + 1)..(token.End.Value - 1)];

    private void Remember(int outputIndex, byte[] id)
    {
        if (outputIndex >= _announced.Length)
        {
            Array.Resize(ref _announced, Math.Max(outputIndex + 1, _announced.Length * 2));
        }
        _announced[outputIndex] = id;
    }

    private enum EventKind
    {
        Other,
        OutputItemAdded,
    }

    /// <summary>One pass over the event's top level; the <c>item</c> object is only entered for its <c>id</c>.</summary>
    private static bool TryRead(ReadOnlySpan<byte> data, out EventKind type, out int outputIndex, out Range itemIdToken, out Range announcedIdToken)
    {
        type = EventKind.Other;
        outputIndex = -1;
        itemIdToken = default;
        announcedIdToken = default;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("response.output_item.added"u8))
                    {
                        type = EventKind.OutputItemAdded;
                    }
                }
                else if (reader.ValueTextEquals("output_index"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index))
                    {
                        outputIndex = index;
                    }
                }
                else if (reader.ValueTextEquals("item_id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        itemIdToken = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                    }
                }
                else if (reader.ValueTextEquals("item"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        announcedIdToken = ReadItemId(ref reader);
                        continue;
                    }
                }
                else
                {
                    reader.Read();
                }
                reader.Skip();
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Where the <c>id</c> string token of the object the reader is on sits; leaves the reader on the object's end.</summary>
    private static Range ReadItemId(ref Utf8JsonReader reader)
    {
        Range id = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                id = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
            }
            reader.Skip();
        }
        return id;
    }
}
