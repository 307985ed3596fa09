using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation.Responses;

/// <summary>Non-stream OpenAI Responses response → Anthropic Messages response (SPEC §10 "Non-stream").</summary>
public static class ResponsesToAnthropicResponse
{
    /// <summary>
    /// Writes the Anthropic message for <paramref name="upstreamJson"/> and returns its usage (Anthropic semantics).
    /// <paramref name="toolSearchToolName"/> is the client's §12 bridge tool name
    /// (<see cref="ResponsesRequestInfo.ToolSearchToolName"/>). Throws <see cref="JsonException"/> on invalid JSON.
    /// </summary>
    public static TokenUsage Write(ReadOnlySpan<byte> upstreamJson, Utf8JsonWriter writer, string? toolSearchToolName = null)
    {
        var reader = new Utf8JsonReader(upstreamJson);
        using var document = JsonDocument.ParseValue(ref reader);
        var response = document.RootElement;

        writer.WriteStartObject();
        ResponsesItems.WriteStringOrEmpty(writer, "id", ResponsesItems.Get(response, "id"u8));
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        ResponsesItems.WriteStringOrEmpty(writer, "model", ResponsesItems.Get(response, "model"u8));

        writer.WriteStartArray("content");
        var sawToolCall = false;
        var wroteBlock = false;
        var output = ResponsesItems.Get(response, "output"u8);
        if (output.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in output.EnumerateArray())
            {
                wroteBlock |= WriteItem(writer, item, toolSearchToolName, ref sawToolCall);
            }
        }
        var outputText = ResponsesItems.Get(response, "output_text"u8);
        if (!wroteBlock && ResponsesItems.IsNonEmptyString(outputText))
        {
            // §10: some upstreams only fill the convenience field.
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WritePropertyName("text");
            outputText.WriteTo(writer);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        var stopReason = ResponsesStopReason.From(response, sawToolCall);
        if (stopReason is null)
        {
            writer.WriteNull("stop_reason");
        }
        else
        {
            writer.WriteString("stop_reason", stopReason);
        }
        writer.WriteNull("stop_sequence");

        writer.WritePropertyName("usage");
        if (!ResponsesUsage.TryRead(response, out var usage))
        {
            usage = default;
        }
        usage.WriteValue(writer);
        writer.WriteEndObject();
        return usage.Tokens;
    }

    /// <summary>One output item → at most one content block (§10); returns whether a block was written.</summary>
    private static bool WriteItem(Utf8JsonWriter writer, JsonElement item, string? toolSearchToolName, ref bool sawToolCall)
    {
        if (ResponsesItems.IsType(item, "reasoning"u8))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "thinking");
            writer.WritePropertyName("thinking");
            ResponsesItems.WriteThinkingValue(writer, item);
            writer.WritePropertyName("signature");
            ResponsesItems.WriteSignatureValue(writer, item, compaction: false);
            writer.WriteEndObject();
            return true;
        }
        if (ResponsesItems.IsType(item, "compaction"u8))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", ResponsesInputWriter.ThinkingPlaceholder);
            writer.WritePropertyName("signature");
            ResponsesItems.WriteSignatureValue(writer, item, compaction: true);
            writer.WriteEndObject();
            return true;
        }
        if (ResponsesItems.IsType(item, "function_call"u8))
        {
            sawToolCall = true;
            writer.WriteStartObject();
            writer.WriteString("type", "tool_use");
            ResponsesItems.WriteStringOrEmpty(writer, "id", ResponsesItems.CallId(item));
            ResponsesItems.WriteStringOrEmpty(writer, "name", ResponsesItems.FunctionName(item));
            writer.WritePropertyName("input");
            ResponsesItems.WriteArgumentsAsInput(writer, ResponsesItems.Get(item, "arguments"u8));
            writer.WriteEndObject();
            return true;
        }
        if (ResponsesItems.IsType(item, "tool_search_call"u8))
        {
            sawToolCall = true;
            writer.WriteStartObject();
            writer.WriteString("type", "tool_use");
            ResponsesItems.WriteStringOrEmpty(writer, "id", ResponsesItems.CallId(item));
            writer.WriteString("name", toolSearchToolName ?? ResponsesItems.DefaultToolSearchToolName);
            writer.WritePropertyName("input");
            ResponsesItems.WriteToolSearchInput(writer, item);
            writer.WriteEndObject();
            return true;
        }
        if (ResponsesItems.IsType(item, "web_search_call"u8))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "server_tool_use");
            ResponsesItems.WriteStringOrEmpty(writer, "id", ResponsesItems.Get(item, "id"u8));
            writer.WriteString("name", "web_search");
            writer.WritePropertyName("input");
            ResponsesItems.WriteWebSearchInput(writer, item);
            writer.WriteEndObject();
            return true;
        }
        if (ResponsesItems.IsType(item, "message"u8) && ResponsesItems.HasMessageText(item))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WritePropertyName("text");
            ResponsesItems.WriteMessageTextValue(writer, item);
            writer.WriteEndObject();
            return true;
        }
        return false;
    }
}
