using System.Text.Json;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// The top-level fields of one Responses stream event, read in a single <see cref="Utf8JsonReader"/> pass without
/// allocating. String fields are kept as raw JSON tokens (quotes and escapes included) so deltas can be copied into
/// the Anthropic event as they are; nested objects (<c>item</c>, <c>response</c>, <c>error</c>) are kept as raw
/// slices and only parsed by the few events that need them.
/// </summary>
internal ref struct ResponsesStreamEvent
{
    public ReadOnlySpan<byte> Type;
    public int OutputIndex;
    public int ContentIndex;
    public int SummaryIndex;
    public ReadOnlySpan<byte> Delta;
    public ReadOnlySpan<byte> Text;
    public ReadOnlySpan<byte> Refusal;
    public ReadOnlySpan<byte> Arguments;
    public ReadOnlySpan<byte> Message;
    public ReadOnlySpan<byte> Item;
    public ReadOnlySpan<byte> Response;
    public ReadOnlySpan<byte> Error;

    /// <summary>Parses <paramref name="data"/>; false when it is not a JSON object.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out ResponsesStreamEvent result)
    {
        result = default;
        result.OutputIndex = -1;
        result.ContentIndex = -1;
        result.SummaryIndex = -1;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
                var raw = data[start..(int)reader.BytesConsumed];
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        if (name.ValueTextEquals("type"u8))
                        {
                            result.Type = reader.ValueSpan;
                        }
                        else if (name.ValueTextEquals("delta"u8))
                        {
                            result.Delta = raw;
                        }
                        else if (name.ValueTextEquals("text"u8))
                        {
                            result.Text = raw;
                        }
                        else if (name.ValueTextEquals("refusal"u8))
                        {
                            result.Refusal = raw;
                        }
                        else if (name.ValueTextEquals("arguments"u8))
                        {
                            result.Arguments = raw;
                        }
                        else if (name.ValueTextEquals("message"u8))
                        {
                            result.Message = raw;
                        }
                        break;
                    case JsonTokenType.Number:
                        if (name.ValueTextEquals("output_index"u8))
                        {
                            result.OutputIndex = reader.TryGetInt32(out var n) ? n : -1;
                        }
                        else if (name.ValueTextEquals("content_index"u8))
                        {
                            result.ContentIndex = reader.TryGetInt32(out var n) ? n : -1;
                        }
                        else if (name.ValueTextEquals("summary_index"u8))
                        {
                            result.SummaryIndex = reader.TryGetInt32(out var n) ? n : -1;
                        }
                        break;
                    case JsonTokenType.EndObject:
                        if (name.ValueTextEquals("item"u8))
                        {
                            result.Item = raw;
                        }
                        else if (name.ValueTextEquals("response"u8))
                        {
                            result.Response = raw;
                        }
                        else if (name.ValueTextEquals("error"u8))
                        {
                            result.Error = raw;
                        }
                        break;
                }
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
