using System.Buffers;
using System.Text.Json;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// The few request fields the fake's answers depend on, read in one forward pass over the body's UTF-8 bytes
/// (every other value is skipped without being materialised). One shape serves all dialects: each handler reads the
/// fields its dialect has.
/// </summary>
internal struct RequestFields
{
    public string? Model;
    public bool Stream;

    /// <summary>Chat <c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage;

    public bool HasTools;

    /// <summary>The first tool's <c>name</c> (Messages, Responses) or <c>function.name</c> (Chat).</summary>
    public string? FirstToolName;

    /// <summary><c>tool_choice</c> is <c>"none"</c> or <c>{"type":"none"}</c>.</summary>
    public bool ToolChoiceNone;

    /// <summary>Messages <c>thinking.type</c>.</summary>
    public string? ThinkingType;

    /// <summary>Chat <c>thinking_budget</c> (Copilot, SPEC §5) is present.</summary>
    public bool HasThinkingBudget;

    /// <summary>Responses <c>reasoning</c> object is present.</summary>
    public bool HasReasoning;

    /// <summary>Responses <c>reasoning.effort</c>.</summary>
    public string? ReasoningEffort;

    /// <summary>Embeddings <c>input</c>: the strings, or null when absent; only read when asked for.</summary>
    public List<string>? Inputs;

    /// <summary>Embeddings <c>dimensions</c>.</summary>
    public int? Dimensions;

    /// <summary>Device flow <c>device_code</c>.</summary>
    public string? DeviceCode;

    /// <summary>Reads the fields; an empty body gives none. Throws <see cref="JsonException"/> on malformed JSON.</summary>
    public static RequestFields Parse(in ReadOnlySequence<byte> body, bool collectInputs)
    {
        var fields = default(RequestFields);
        if (body.IsEmpty)
        {
            return fields;
        }

        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The request body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                fields.Model = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                fields.Stream = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                fields.IncludeUsage = ReadObjectFlag(ref reader, "include_usage"u8);
            }
            else if (reader.ValueTextEquals("tools"u8))
            {
                ReadTools(ref reader, ref fields);
            }
            else if (reader.ValueTextEquals("tool_choice"u8))
            {
                reader.Read();
                fields.ToolChoiceNone = reader.TokenType == JsonTokenType.String
                    ? reader.ValueTextEquals("none"u8)
                    : ReadObjectString(ref reader, "type"u8) == "none";
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                reader.Read();
                fields.ThinkingType = ReadObjectString(ref reader, "type"u8);
            }
            else if (reader.ValueTextEquals("thinking_budget"u8))
            {
                reader.Read();
                fields.HasThinkingBudget = reader.TokenType == JsonTokenType.Number;
            }
            else if (reader.ValueTextEquals("reasoning"u8))
            {
                reader.Read();
                fields.HasReasoning = reader.TokenType == JsonTokenType.StartObject;
                fields.ReasoningEffort = ReadObjectString(ref reader, "effort"u8);
            }
            else if (reader.ValueTextEquals("dimensions"u8))
            {
                reader.Read();
                fields.Dimensions = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var dimensions) ? dimensions : null;
            }
            else if (reader.ValueTextEquals("device_code"u8))
            {
                fields.DeviceCode = ReadString(ref reader);
            }
            else if (collectInputs && reader.ValueTextEquals("input"u8))
            {
                fields.Inputs = ReadInputs(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return fields;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>With the reader on a value: that object's string property, skipping the rest; null otherwise.</summary>
    private static string? ReadObjectString(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                value = ReadString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return value;
    }

    /// <summary>With the reader on a property name: whether its object value has <c>name: true</c>.</summary>
    private static bool ReadObjectFlag(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var flag = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var matches = reader.ValueTextEquals(name);
            reader.Read();
            if (matches)
            {
                flag = reader.TokenType == JsonTokenType.True;
            }

            reader.Skip();
        }

        return flag;
    }

    private static void ReadTools(ref Utf8JsonReader reader, ref RequestFields fields)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            fields.HasTools = true;
            if (fields.FirstToolName is null && reader.TokenType == JsonTokenType.StartObject)
            {
                fields.FirstToolName = ReadToolName(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>A tool's <c>name</c>, or its <c>function.name</c> (Chat Completions shape).</summary>
    private static string? ReadToolName(ref Utf8JsonReader reader)
    {
        string? name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                name ??= ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                name ??= ReadObjectString(ref reader, "name"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return name;
    }

    private static List<string> ReadInputs(ref Utf8JsonReader reader)
    {
        reader.Read();
        var inputs = new List<string>();
        if (reader.TokenType == JsonTokenType.String)
        {
            inputs.Add(reader.GetString()!);
            return inputs;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return inputs;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // Token-id arrays have no text: their position stands in for it, so vectors stay deterministic.
            inputs.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : $"#{inputs.Count}");
            reader.Skip();
        }

        return inputs;
    }
}
