using System.Text.Json;

namespace Gateway.Api.OpenAI;

/// <summary>
/// What the OpenAI routes need to know of a request body, found in one forward pass of <see cref="Utf8JsonReader"/>
/// without building a DOM: the model (and where its value sits, for an in-place rewrite), <c>stream</c>, whether
/// <c>max_tokens</c> / <c>reasoning_effort</c> are present, the last message's role (SPEC §4.4) and whether an image
/// part is present (the <c>copilot-vision-request</c> header, SPEC §2.4).
/// </summary>
public readonly record struct ChatBodyFacts(
    string? Model,
    Range ModelValueRange,
    bool Stream,
    bool HasMaxTokens,
    bool HasReasoningEffort,
    bool HasMessages,
    string? LastRole,
    bool HasImage)
{
    /// <summary>Scans a Chat Completions (or embeddings) body. Throws <see cref="JsonException"/> on malformed JSON.</summary>
    public static ChatBodyFacts Scan(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The request body must be a JSON object.");
        }
        string? model = null;
        Range modelRange = default;
        bool stream = false, hasMaxTokens = false, hasEffort = false, hasMessages = false, hasImage = false;
        string? lastRole = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    model = reader.GetString();
                    var start = (int)reader.TokenStartIndex;
                    modelRange = new Range(start, (int)reader.BytesConsumed);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8))
            {
                reader.Read();
                hasMaxTokens |= reader.TokenType != JsonTokenType.Null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("reasoning_effort"u8))
            {
                reader.Read();
                hasEffort = reader.TokenType != JsonTokenType.Null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    hasMessages = true;
                    ScanMessages(ref reader, ref lastRole, ref hasImage);
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
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("The request body is not a complete JSON object.");
        }
        return new ChatBodyFacts(model, modelRange, stream, hasMaxTokens, hasEffort, hasMessages, lastRole, hasImage);
    }

    private static void ScanMessages(ref Utf8JsonReader reader, ref string? lastRole, ref bool hasImage)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                lastRole = null;
                continue;
            }
            string? role = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("role"u8))
                {
                    reader.Read();
                    role = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        hasImage |= ScanParts(ref reader);
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
            lastRole = role;
        }
    }

    private static bool ScanParts(ref Utf8JsonReader reader)
    {
        var image = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    image |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("image_url"u8);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        return image;
    }
}
