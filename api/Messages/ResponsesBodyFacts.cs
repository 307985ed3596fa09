using System.Text.Json;

namespace Gateway.Api.Messages;

/// <summary>
/// What the <c>POST /v1/responses</c> path needs before sanitising a body (SPEC §11.2, §2.4, §4.4), read in one
/// forward pass over the UTF-8 bytes.
/// </summary>
/// <param name="Model">The <c>model</c> string, or null.</param>
/// <param name="Stream"><c>stream: true</c>.</param>
/// <param name="HasImage">Some input part has <c>type: "input_image"</c> (<c>copilot-vision-request</c>).</param>
/// <param name="Initiator">§4.4: <c>agent</c> when the last input item has no <c>role</c> or role <c>assistant</c>.</param>
/// <param name="MaxOutputTokens">The numeric <c>max_output_tokens</c>, for admission reservations (SPEC §16.2).</param>
public readonly record struct ResponsesBodyFacts(string? Model, bool Stream, bool HasImage, string Initiator, long? MaxOutputTokens = null)
{
    /// <summary>False when the body is not a JSON object.</summary>
    public static bool TryScan(ReadOnlySpan<byte> body, out ResponsesBodyFacts facts)
    {
        facts = default;
        string? model = null;
        var stream = false;
        long? maxOutputTokens = null;
        var items = default(JsonBodyScanner.ItemsFacts);
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    model = JsonBodyScanner.ReadStringOrSkip(ref reader);
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    stream = JsonBodyScanner.ReadTrueOrSkip(ref reader);
                }
                else if (reader.ValueTextEquals("max_output_tokens"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var max) && max >= 0)
                    {
                        maxOutputTokens = max;
                    }
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("input"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        items = JsonBodyScanner.ScanItems(ref reader, "input_image"u8);
                    }
                    else
                    {
                        // A string input is one user message.
                        items = default;
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        var initiator = Messages.Initiator.ForResponsesItems(items);
        facts = new ResponsesBodyFacts(model, stream, items.HasImage, initiator, maxOutputTokens);
        return true;
    }
}
