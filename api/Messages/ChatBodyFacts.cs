using System.Text.Json;

namespace Gateway.Api.Messages;

/// <summary>
/// What the <c>POST /v1/chat/completions</c> hot path needs from a request body (SPEC §11.1, §2.4, §4.4), read in one
/// forward pass over the UTF-8 bytes.
/// </summary>
/// <param name="Model">The <c>model</c> string, or null when absent or not a string.</param>
/// <param name="Stream"><c>stream: true</c>.</param>
/// <param name="HasMaxTokens"><c>max_tokens</c> is present and not null (else the model's <c>max_output_tokens</c> is set).</param>
/// <param name="HasImage">Some message part has <c>type: "image_url"</c> (<c>copilot-vision-request</c>).</param>
/// <param name="Initiator">§4.4: <c>agent</c> when the last message's role is <c>assistant</c> or <c>tool</c>.</param>
/// <param name="HasMessages">A <c>messages</c> array is present (SPEC §17: otherwise 400).</param>
/// <param name="ModelValueRange">Where the quoted <c>model</c> value sits in the body, for an in-place rewrite.</param>
/// <param name="HasReasoningEffort"><c>reasoning_effort</c> is present and not null.</param>
/// <param name="MaxTokens">The numeric <c>max_tokens</c> or <c>max_completion_tokens</c> (the larger), for budget reservations.</param>
public readonly record struct ChatBodyFacts(string? Model, bool Stream, bool HasMaxTokens, bool HasImage, string Initiator, bool HasMessages,
    Range ModelValueRange = default, bool HasReasoningEffort = false, long? MaxTokens = null)
{
    /// <summary>False when the body is not a JSON object.</summary>
    public static bool TryScan(ReadOnlySpan<byte> body, out ChatBodyFacts facts)
    {
        facts = default;
        string? model = null;
        bool stream = false, hasMaxTokens = false, hasMessages = false, hasEffort = false;
        long? maxTokens = null;
        Range modelRange = default;
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
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        model = reader.GetString();
                        modelRange = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("reasoning_effort"u8))
                {
                    reader.Read();
                    hasEffort = reader.TokenType != JsonTokenType.Null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    stream = JsonBodyScanner.ReadTrueOrSkip(ref reader);
                }
                else if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8))
                {
                    reader.Read();
                    hasMaxTokens |= reader.TokenType != JsonTokenType.Null;
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var max) && max >= 0)
                    {
                        maxTokens = Math.Max(maxTokens ?? 0, max);
                    }
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("messages"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        hasMessages = true;
                        items = JsonBodyScanner.ScanItems(ref reader, "image_url"u8);
                    }
                    else
                    {
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
        var initiator = Messages.Initiator.ForChatItems(items);
        facts = new ChatBodyFacts(model, stream, hasMaxTokens, items.HasImage, initiator, hasMessages, modelRange, hasEffort, maxTokens);
        return true;
    }
}
