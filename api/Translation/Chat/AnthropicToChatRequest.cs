using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// SPEC §5: writes the Chat Completions body for an Anthropic Messages request that pre-processing (§3, §4) has
/// already normalised. Reads the request DOM, writes straight to the upstream body writer.
/// </summary>
public static class AnthropicToChatRequest
{
    private const int DefaultMinThinkingBudget = 1024;

    // Tool arguments go upstream as a JSON string the model reads back; keep non-ASCII text readable there.
    private static readonly JsonWriterOptions ArgumentsWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(JsonObject anthropicRequest, ChatRequestOptions options, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(anthropicRequest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(writer);

        var extraBody = options.ExtraBody is { Count: > 0 } extra ? extra : null;
        var body = new BodyWriter(writer, extraBody is null ? null : new HashSet<string>(StringComparer.Ordinal));
        var budget = JsonNodes.TryGetInt64((anthropicRequest["thinking"] as JsonObject)?["budget_tokens"], out var b) ? b : (long?)null;
        var isClaude = options.UpstreamModelId.StartsWith("claude", StringComparison.Ordinal);
        var plans = ChatMessagePlanner.Plan(anthropicRequest, options, thinkingInstruction: isClaude && budget is not null);

        writer.WriteStartObject();
        body.Property("model");
        writer.WriteStringValue(options.UpstreamModelId);

        body.Property("messages");
        WriteMessages(plans, options, writer);

        body.CopyIfPresent("max_tokens", anthropicRequest["max_tokens"]);
        var stream = anthropicRequest["stream"];
        body.CopyIfPresent("stream", stream);
        if (JsonNodes.IsTrue(stream))
        {
            // Without it the upstream never reports usage on a stream (SPEC §7 step 6 needs it).
            body.Property("stream_options");
            writer.WriteStartObject();
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }
        body.CopyOrDefault("temperature", anthropicRequest["temperature"], options.Temperature);
        body.CopyOrDefault("top_p", anthropicRequest["top_p"], options.TopP);
        if (options.IsProvider)
        {
            body.CopyOrDefault("top_k", anthropicRequest["top_k"], options.TopK);
        }
        if (anthropicRequest["stop_sequences"] is JsonArray { Count: > 0 } stop)
        {
            body.Property("stop");
            stop.WriteTo(writer);
        }
        if (JsonNodes.GetString((anthropicRequest["metadata"] as JsonObject)?["user_id"]) is { Length: > 0 } user)
        {
            body.Property("user");
            writer.WriteStringValue(user);
        }
        if (WriteTools(anthropicRequest["tools"], body, writer))
        {
            WriteToolChoice(anthropicRequest["tool_choice"] as JsonObject, body, writer);
        }
        WriteThinkingFields(budget, options, extraBody, body, writer);

        if (extraBody is not null)
        {
            foreach (var (name, value) in extraBody)
            {
                // Request fields win, except the configured thinking_budget (SPEC §13.4).
                if (name == "thinking_budget" || !body.Wrote(name))
                {
                    writer.WritePropertyName(name);
                    WriteNode(value, writer);
                }
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteThinkingFields(long? budget, ChatRequestOptions options, JsonObject? extraBody, BodyWriter body, Utf8JsonWriter writer)
    {
        var extraBudget = extraBody?.ContainsKey("thinking_budget") ?? false;
        if (budget is { } requested && !extraBudget)
        {
            if (!options.IsProvider)
            {
                if (CopilotThinkingBudget(requested, options) is { } clamped)
                {
                    body.Property("thinking_budget");
                    writer.WriteNumberValue(clamped);
                }
            }
            else if (options.IsDashScope)
            {
                body.Property("thinking_budget");
                writer.WriteNumberValue(requested);
            }
        }
        if (options.IsProvider && options.IsDashScope && !(extraBody?.ContainsKey("preserve_thinking") ?? false))
        {
            body.Property("preserve_thinking");
            writer.WriteBooleanValue(options.PreserveThinking ?? true);
        }
    }

    /// <summary>
    /// SPEC §5: clamp to [min_thinking_budget (default 1024), min(max_thinking_budget, max_output_tokens − 1)], only
    /// for a known model with a positive maximum. When the bounds cross, the maximum wins: it is the hard limit.
    /// </summary>
    internal static long? CopilotThinkingBudget(long requested, ChatRequestOptions options)
    {
        if (options.Model is not { } model)
        {
            return null;
        }
        long? max = model.MaxThinkingBudget;
        if (model.MaxOutputTokens is { } maxOutput)
        {
            max = max is { } m ? Math.Min(m, maxOutput - 1) : maxOutput - 1;
        }
        if (max is not > 0)
        {
            return null;
        }
        var min = model.MinThinkingBudget ?? DefaultMinThinkingBudget;
        return Math.Min(Math.Max(requested, min), max.Value);
    }

    private static bool WriteTools(JsonNode? toolsNode, BodyWriter body, Utf8JsonWriter writer)
    {
        if (toolsNode is not JsonArray tools)
        {
            return false;
        }
        var wrote = false;
        foreach (var node in tools)
        {
            // Anthropic server tools (web_search_*, ...) have no Chat Completions equivalent (SPEC §3.6 removes them).
            if (node is not JsonObject tool
                || JsonNodes.GetString(tool["name"]) is not { Length: > 0 } name
                || (tool["type"] is not null && JsonNodes.GetString(tool["type"]) != "custom"))
            {
                continue;
            }
            if (!wrote)
            {
                body.Property("tools");
                writer.WriteStartArray();
                wrote = true;
            }
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, name);
            if (JsonNodes.GetString(tool["description"]) is { } description)
            {
                writer.WriteString("description"u8, description);
            }
            writer.WritePropertyName("parameters"u8);
            if (tool["input_schema"] is JsonObject schema)
            {
                schema.WriteTo(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "object"u8);
                writer.WriteStartObject("properties"u8);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        if (wrote)
        {
            writer.WriteEndArray();
        }
        return wrote;
    }

    private static void WriteToolChoice(JsonObject? choice, BodyWriter body, Utf8JsonWriter writer)
    {
        if (choice is null)
        {
            return;
        }
        switch (JsonNodes.GetString(choice["type"]))
        {
            case "auto":
                body.Property("tool_choice");
                writer.WriteStringValue("auto"u8);
                break;
            case "any":
                body.Property("tool_choice");
                writer.WriteStringValue("required"u8);
                break;
            case "none":
                body.Property("tool_choice");
                writer.WriteStringValue("none"u8);
                break;
            case "tool" when JsonNodes.GetString(choice["name"]) is { } name:
                body.Property("tool_choice");
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }
        // Anthropic's switch for one tool call per turn is Chat Completions' parallel_tool_calls.
        if (JsonNodes.IsTrue(choice["disable_parallel_tool_use"]))
        {
            body.Property("parallel_tool_calls");
            writer.WriteBooleanValue(false);
        }
    }

    private static void WriteMessages(List<ChatMessagePlan> plans, ChatRequestOptions options, Utf8JsonWriter writer)
    {
        ArrayBufferWriter<byte>? argumentsBuffer = null;
        Utf8JsonWriter? argumentsWriter = null;
        writer.WriteStartArray();
        foreach (var plan in plans)
        {
            writer.WriteStartObject();
            switch (plan.Role)
            {
                case ChatRole.System:
                    writer.WriteString("role"u8, "system"u8);
                    writer.WritePropertyName("content"u8);
                    ChatContentWriter.WriteContent(plan, writer);
                    break;
                case ChatRole.User:
                    writer.WriteString("role"u8, "user"u8);
                    writer.WritePropertyName("content"u8);
                    ChatContentWriter.WriteContent(plan, writer);
                    break;
                case ChatRole.Tool:
                    writer.WriteString("role"u8, "tool"u8);
                    writer.WriteString("tool_call_id"u8, plan.ToolCallId);
                    writer.WritePropertyName("content"u8);
                    ChatContentWriter.WriteContent(plan, writer);
                    break;
                case ChatRole.Assistant:
                    writer.WriteString("role"u8, "assistant"u8);
                    writer.WritePropertyName("content"u8);
                    if (plan.Parts.Count > 0)
                    {
                        ChatContentWriter.WriteContent(plan, writer);
                    }
                    else if (plan.ToolUses is not null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        writer.WriteStringValue(""u8);
                    }
                    if (plan.ToolUses is not null)
                    {
                        argumentsBuffer ??= new ArrayBufferWriter<byte>(256);
                        argumentsWriter ??= new Utf8JsonWriter(argumentsBuffer, ArgumentsWriterOptions);
                        WriteToolCalls(plan.ToolUses, writer, argumentsBuffer, argumentsWriter);
                    }
                    WriteReasoning(plan, options, writer);
                    break;
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        argumentsWriter?.Dispose();
    }

    private static void WriteToolCalls(List<JsonObject> toolUses, Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, Utf8JsonWriter argumentsWriter)
    {
        writer.WriteStartArray("tool_calls"u8);
        foreach (var toolUse in toolUses)
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, JsonNodes.GetString(toolUse["id"]) ?? "");
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, JsonNodes.GetString(toolUse["name"]) ?? "");
            // arguments is the input serialised as a JSON string: serialise once into a reused buffer.
            buffer.ResetWrittenCount();
            argumentsWriter.Reset(buffer);
            if (toolUse["input"] is { } input)
            {
                input.WriteTo(argumentsWriter);
            }
            else
            {
                argumentsWriter.WriteStartObject();
                argumentsWriter.WriteEndObject();
            }
            argumentsWriter.Flush();
            writer.WriteString("arguments"u8, buffer.WrittenSpan);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>Copilot carries reasoning as reasoning_text/reasoning_opaque; providers in their reasoningField (§5, §13.4).</summary>
    private static void WriteReasoning(ChatMessagePlan plan, ChatRequestOptions options, Utf8JsonWriter writer)
    {
        if (plan.ReasoningTexts is { } texts)
        {
            writer.WritePropertyName(options.IsProvider ? options.ReasoningField : "reasoning_text");
            ChatContentWriter.WriteJoined(texts, writer);
        }
        if (!options.IsProvider && plan.ReasoningOpaque is { } opaque)
        {
            writer.WriteString("reasoning_opaque"u8, opaque);
        }
    }

    private static void WriteNode(JsonNode? node, Utf8JsonWriter writer)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    /// <summary>Writes top-level property names and remembers them when extraBody needs to know what the request set.</summary>
    private readonly struct BodyWriter(Utf8JsonWriter writer, HashSet<string>? written)
    {
        public void Property(string name)
        {
            written?.Add(name);
            writer.WritePropertyName(name);
        }

        public bool Wrote(string name) => written?.Contains(name) ?? false;

        public void CopyIfPresent(string name, JsonNode? value)
        {
            if (value is not null)
            {
                Property(name);
                value.WriteTo(writer);
            }
        }

        public void CopyOrDefault(string name, JsonNode? value, double? fallback)
        {
            if (value is not null)
            {
                CopyIfPresent(name, value);
            }
            else if (fallback is { } f)
            {
                Property(name);
                writer.WriteNumberValue(f);
            }
        }

        public void CopyOrDefault(string name, JsonNode? value, int? fallback)
        {
            if (value is not null)
            {
                CopyIfPresent(name, value);
            }
            else if (fallback is { } f)
            {
                Property(name);
                writer.WriteNumberValue(f);
            }
        }
    }
}
