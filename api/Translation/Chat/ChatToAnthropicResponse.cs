using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// SPEC §6: a non-stream <c>chat.completion</c> body → an Anthropic <c>message</c>. Content over all choices is
/// ordered thinking, then text, then <c>tool_use</c>.
/// </summary>
public static class ChatToAnthropicResponse
{
    /// <summary>Writes the Anthropic message and returns its usage (Anthropic semantics).</summary>
    /// <param name="reasoningField">Provider field carrying reasoning text (SPEC §13.4); Copilot's <c>reasoning_text</c> is always read.</param>
    public static TokenUsage Write(ReadOnlySpan<byte> upstreamJson, Utf8JsonWriter writer, string reasoningField = "reasoning_content")
    {
        ArgumentNullException.ThrowIfNull(writer);
        var reader = new Utf8JsonReader(upstreamJson);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var choices = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("choices"u8, out var c) && c.ValueKind == JsonValueKind.Array
            ? c
            : default;

        writer.WriteStartObject();
        writer.WritePropertyName("id"u8);
        WriteStringOrEmpty(root, "id"u8, writer);
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WritePropertyName("model"u8);
        WriteStringOrEmpty(root, "model"u8, writer);

        writer.WriteStartArray("content"u8);
        if (choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                WriteThinking(MessageOf(choice), reasoningField, writer);
            }
            foreach (var choice in choices.EnumerateArray())
            {
                WriteText(MessageOf(choice), writer);
            }
            foreach (var choice in choices.EnumerateArray())
            {
                WriteToolUses(MessageOf(choice), writer);
            }
        }
        writer.WriteEndArray();

        writer.WritePropertyName("stop_reason"u8);
        if (StopReason(choices) is { } stopReason)
        {
            writer.WriteStringValue(stopReason);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteNull("stop_sequence"u8);

        var usage = ChatUsage.TryRead(root, out var u) ? u : new ChatUsage(0, 0, null, null);
        writer.WriteStartObject("usage"u8);
        usage.WriteTo(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return usage.ToTokenUsage();
    }

    /// <summary>The first choice's reason, replaced by <c>tool_use</c> when a later choice has tool calls (SPEC §6).</summary>
    private static string? StopReason(JsonElement choices)
    {
        if (choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return null;
        }
        var first = choices[0];
        var reason = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("finish_reason"u8, out var f) ? ChatStopReason.Map(f) : null;
        for (var i = 1; i < choices.GetArrayLength(); i++)
        {
            if (ToolCallsOf(MessageOf(choices[i])).ValueKind == JsonValueKind.Array)
            {
                return "tool_use";
            }
        }
        return reason;
    }

    private static void WriteThinking(JsonElement message, string reasoningField, Utf8JsonWriter writer)
    {
        var text = NonEmptyString(message, "reasoning_text"u8);
        if (text.ValueKind == JsonValueKind.Undefined)
        {
            text = NonEmptyString(message, reasoningField);
        }
        var opaque = NonEmptyString(message, "reasoning_opaque"u8);
        if (text.ValueKind == JsonValueKind.Undefined && opaque.ValueKind == JsonValueKind.Undefined)
        {
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("type"u8, "thinking"u8);
        writer.WritePropertyName("thinking"u8);
        if (text.ValueKind == JsonValueKind.String)
        {
            WriteRaw(text, writer);
        }
        else
        {
            writer.WriteStringValue(ThinkingFilter.Placeholder);
        }
        writer.WritePropertyName("signature"u8);
        if (opaque.ValueKind == JsonValueKind.String)
        {
            WriteRaw(opaque, writer);
        }
        else
        {
            writer.WriteStringValue(""u8);
        }
        writer.WriteEndObject();
    }

    private static void WriteText(JsonElement message, Utf8JsonWriter writer)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content"u8, out var content))
        {
            return;
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            if (content.ValueEquals(""u8))
            {
                return;
            }
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WritePropertyName("text"u8);
            WriteRaw(content, writer);
            writer.WriteEndObject();
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            // Some providers answer with content parts; each text part becomes a text block.
            foreach (var part in content.EnumerateArray())
            {
                var text = NonEmptyString(part, "text"u8);
                if (text.ValueKind == JsonValueKind.String)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "text"u8);
                    writer.WritePropertyName("text"u8);
                    WriteRaw(text, writer);
                    writer.WriteEndObject();
                }
            }
        }
    }

    private static void WriteToolUses(JsonElement message, Utf8JsonWriter writer)
    {
        var toolCalls = ToolCallsOf(message);
        if (toolCalls.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var call in toolCalls.EnumerateArray())
        {
            if (call.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var function = call.TryGetProperty("function"u8, out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            writer.WriteStartObject();
            writer.WriteString("type"u8, "tool_use"u8);
            writer.WritePropertyName("id"u8);
            WriteStringOrEmpty(call, "id"u8, writer);
            writer.WritePropertyName("name"u8);
            WriteStringOrEmpty(function, "name"u8, writer);
            writer.WritePropertyName("input"u8);
            WriteArguments(function, writer);
            writer.WriteEndObject();
        }
    }

    /// <summary>Arguments are a JSON string; Anthropic wants the object. Empty or unparsable arguments become <c>{}</c>.</summary>
    private static void WriteArguments(JsonElement function, Utf8JsonWriter writer)
    {
        if (function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("arguments"u8, out var arguments)
            && arguments.ValueKind == JsonValueKind.String
            && arguments.GetString() is { Length: > 0 } json)
        {
            try
            {
                using var parsed = JsonDocument.Parse(json);
                if (parsed.RootElement.ValueKind == JsonValueKind.Object)
                {
                    parsed.RootElement.WriteTo(writer);
                    return;
                }
            }
            catch (JsonException)
            {
                // Falls through to the empty input: a model's broken arguments must not fail the whole response.
            }
        }
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    private static JsonElement MessageOf(JsonElement choice)
        => choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.Object ? m : default;

    private static JsonElement ToolCallsOf(JsonElement message)
        => message.ValueKind == JsonValueKind.Object && message.TryGetProperty("tool_calls"u8, out var t)
           && t.ValueKind == JsonValueKind.Array && t.GetArrayLength() > 0 ? t : default;

    private static JsonElement NonEmptyString(JsonElement obj, ReadOnlySpan<byte> name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !v.ValueEquals(""u8) ? v : default;

    private static JsonElement NonEmptyString(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !v.ValueEquals(""u8) ? v : default;

    private static void WriteStringOrEmpty(JsonElement obj, ReadOnlySpan<byte> name, Utf8JsonWriter writer)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            WriteRaw(value, writer);
        }
        else
        {
            writer.WriteStringValue(""u8);
        }
    }

    private static void WriteRaw(JsonElement value, Utf8JsonWriter writer) => RawJson.Write(value, writer);
}
