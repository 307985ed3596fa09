using System.Text.Json;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// The parts of one Chat Completions stream chunk that SPEC §7 needs, read in a single <see cref="Utf8JsonReader"/>
/// pass over the chunk's bytes: string values are kept as <see cref="JsonRange"/>s into those bytes (no strings, no
/// DOM), numbers as numbers. A property named twice counts with its last value, as with
/// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>. One instance per stream is reused for every
/// chunk, so its lists are allocated once.
/// </summary>
internal sealed class ChatStreamChunk
{
    private readonly byte[] _reasoningField;
    private readonly List<ChatStreamChoice> _choices = [];
    private readonly List<ChatStreamToolCall> _toolCalls = [];

    public ChatStreamChunk(byte[] reasoningField) => _reasoningField = reasoningField;

    /// <summary>False when the root value is not an object (nothing to translate).</summary>
    public bool IsObject { get; private set; }

    public JsonValueKind ErrorKind { get; private set; }

    /// <summary>The error string itself, or the error object's <c>message</c>.</summary>
    public JsonRange ErrorMessage { get; private set; }

    public JsonRange Id { get; private set; }

    public JsonRange Model { get; private set; }

    public ChatUsage? Usage { get; private set; }

    /// <summary><c>choices</c> is an array with at least one element (objects or not).</summary>
    public bool HasChoices { get; private set; }

    /// <summary>The object elements of <c>choices</c>, in order.</summary>
    public IReadOnlyList<ChatStreamChoice> Choices => _choices;

    /// <summary>The object elements of every <c>tool_calls</c> array, addressed by <see cref="ChatStreamChoice.ToolCallStart"/>.</summary>
    public IReadOnlyList<ChatStreamToolCall> ToolCalls => _toolCalls;

    /// <summary>Reads <paramref name="json"/>; throws <see cref="JsonException"/> when it is not valid JSON.</summary>
    public void Read(ReadOnlySpan<byte> json)
    {
        IsObject = false;
        ErrorKind = JsonValueKind.Undefined;
        ErrorMessage = default;
        Id = default;
        Model = default;
        Usage = null;
        HasChoices = false;
        _choices.Clear();
        _toolCalls.Clear();

        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        IsObject = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                ReadChoices(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                Id = JsonRange.Of(ref reader);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                Model = JsonRange.Of(ref reader);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                Usage = reader.TokenType == JsonTokenType.StartObject ? ReadUsage(ref reader) : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                ReadError(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadError(ref Utf8JsonReader reader)
    {
        ErrorMessage = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                ErrorKind = JsonValueKind.String;
                ErrorMessage = JsonRange.Of(ref reader);
                return;
            case JsonTokenType.StartObject:
                ErrorKind = JsonValueKind.Object;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isMessage = reader.ValueTextEquals("message"u8);
                    reader.Read();
                    if (isMessage)
                    {
                        ErrorMessage = JsonRange.Of(ref reader);
                    }
                    reader.Skip();
                }
                return;
            default:
                ErrorKind = JsonValueKind.Undefined;
                reader.Skip();
                return;
        }
    }

    private void ReadChoices(ref Utf8JsonReader reader)
    {
        _choices.Clear();
        _toolCalls.Clear();
        HasChoices = false;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            HasChoices = true;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                _choices.Add(ReadChoice(ref reader));
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private ChatStreamChoice ReadChoice(ref Utf8JsonReader reader)
    {
        var choice = new ChatStreamChoice();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                choice = ReadDelta(ref reader, choice with { HasDelta = false, ReasoningText = default, ReasoningField = default, Opaque = default, Content = default, ToolCallCount = 0 });
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                choice = choice with { FinishReason = JsonRange.Of(ref reader) };
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return choice;
    }

    private ChatStreamChoice ReadDelta(ref Utf8JsonReader reader, ChatStreamChoice choice)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return choice;
        }
        choice = choice with { HasDelta = true };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // The provider's reasoning field may share a name with any of the others, so each name is checked on its own.
            var isReasoningText = reader.ValueTextEquals("reasoning_text"u8);
            var isReasoningField = reader.ValueTextEquals(_reasoningField);
            var isOpaque = reader.ValueTextEquals("reasoning_opaque"u8);
            var isContent = reader.ValueTextEquals("content"u8);
            var isToolCalls = reader.ValueTextEquals("tool_calls"u8);
            reader.Read();
            var value = JsonRange.Of(ref reader);
            if (isReasoningText)
            {
                choice = choice with { ReasoningText = value };
            }
            if (isReasoningField)
            {
                choice = choice with { ReasoningField = value };
            }
            if (isOpaque)
            {
                choice = choice with { Opaque = value };
            }
            if (isContent)
            {
                choice = choice with { Content = value };
            }
            if (isToolCalls)
            {
                var start = _toolCalls.Count;
                var count = ReadToolCalls(ref reader);
                choice = choice with { ToolCallStart = start, ToolCallCount = count };
            }
            else
            {
                reader.Skip();
            }
        }
        return choice;
    }

    /// <returns>The array's length (0 when it is not an array); its object elements are added to the tool-call list.</returns>
    private int ReadToolCalls(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }
        var position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                _toolCalls.Add(ReadToolCall(ref reader, position));
            }
            else
            {
                reader.Skip();
            }
            position++;
        }
        return position;
    }

    private static ChatStreamToolCall ReadToolCall(ref Utf8JsonReader reader, int position)
    {
        var call = new ChatStreamToolCall(position, default, default, default);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                // A missing, non-integer or non-number index falls back to the call's position in the array.
                call = call with { OpenAiIndex = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index) ? index : position };
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                call = call with { Id = JsonRange.Of(ref reader) };
                reader.Skip();
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                call = call with { Name = default, Arguments = default };
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isName = reader.ValueTextEquals("name"u8);
                    var isArguments = reader.ValueTextEquals("arguments"u8);
                    reader.Read();
                    if (isName)
                    {
                        call = call with { Name = JsonRange.Of(ref reader) };
                    }
                    else if (isArguments)
                    {
                        call = call with { Arguments = JsonRange.Of(ref reader) };
                    }
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return call;
    }

    /// <summary>SPEC §6 usage from a <c>usage</c> object (the reader is on its start); leaves the reader on its end.</summary>
    private static ChatUsage ReadUsage(ref Utf8JsonReader reader)
    {
        long? prompt = null;
        long? completion = null;
        long? total = null;
        long? cached = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                reader.Read();
                prompt = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                reader.Read();
                completion = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                reader.Read();
                total = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                reader.Read();
                cached = null;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isCached = reader.ValueTextEquals("cached_tokens"u8);
                        reader.Read();
                        if (isCached)
                        {
                            cached = ReadLong(ref reader);
                        }
                        reader.Skip();
                    }
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
        return ChatUsage.FromCounts(prompt, completion, cached, total);
    }

    /// <summary>As <see cref="ChatUsage"/> reads a count from a <see cref="JsonElement"/>: integers, else finite numbers floored.</summary>
    private static long? ReadLong(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return null;
        }
        if (reader.TryGetInt64(out var l))
        {
            return l;
        }
        return reader.TryGetDouble(out var d) && double.IsFinite(d) ? (long)Math.Floor(d) : null;
    }
}

/// <summary>One object element of a chunk's <c>choices</c>: its <c>delta</c> strings and <c>finish_reason</c>.</summary>
internal readonly record struct ChatStreamChoice(
    bool HasDelta,
    JsonRange ReasoningText,
    JsonRange ReasoningField,
    JsonRange Opaque,
    JsonRange Content,
    int ToolCallStart,
    int ToolCallCount,
    JsonRange FinishReason);

/// <summary>One object element of a delta's <c>tool_calls</c>.</summary>
internal readonly record struct ChatStreamToolCall(int OpenAiIndex, JsonRange Id, JsonRange Name, JsonRange Arguments);
