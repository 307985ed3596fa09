using System.Text.Json;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// <c>POST /v1/messages</c> (Copilot's native Messages endpoint and <c>anthropic</c> providers): a message, or with
/// <c>"stream": true</c> the Anthropic event grammar: <c>message_start</c>, <c>ping</c>, per block
/// <c>content_block_start</c> / <c>content_block_delta</c>… / <c>content_block_stop</c>, <c>message_delta</c> with the
/// final usage, <c>message_stop</c>. Blocks: an optional thinking block (closed by a <c>signature_delta</c>), then
/// text or a <c>tool_use</c> whose input arrives as <c>input_json_delta</c> fragments.
/// </summary>
internal static class MessagesHandler
{
    public static Task HandleAsync(FakeExchange exchange)
    {
        var plan = ReplyPlan.Create(exchange, exchange.Fields.ThinkingType is "enabled" or "adaptive");
        return plan.Stream ? StreamAsync(exchange, plan) : CompleteAsync(exchange, plan);
    }

    /// <summary><c>POST /v1/messages/count_tokens</c>.</summary>
    public static Task CountTokensAsync(FakeExchange exchange)
    {
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        writer.WriteNumber("input_tokens", exchange.State.CountTokensInputTokens);
        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }

    private static Task CompleteAsync(FakeExchange exchange, ReplyPlan plan)
    {
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        writer.WriteString("id", FakeReply.MessageId(plan.N));
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", plan.Model);
        writer.WriteStartArray("content");
        if (plan.Reasoning is not null)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", plan.Reasoning);
            writer.WriteString("signature", FakeReply.Signature(plan.N));
            writer.WriteEndObject();
        }

        writer.WriteStartObject();
        if (plan.ToolName is null)
        {
            writer.WriteString("type", "text");
            writer.WriteString("text", plan.Text);
        }
        else
        {
            writer.WriteString("type", "tool_use");
            writer.WriteString("id", FakeReply.ToolUseId(plan.N));
            writer.WriteString("name", plan.ToolName);
            writer.WritePropertyName("input");
            writer.WriteRawValue(plan.ToolArguments);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("stop_reason", StopReason(plan));
        writer.WriteNull("stop_sequence");
        WriteUsage(writer, plan.Usage, plan.Usage.OutputTokens);
        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }

    private static async Task StreamAsync(FakeExchange exchange, ReplyPlan plan)
    {
        var sse = await SseStream.StartAsync(exchange);

        var writer = sse.Event("message_start"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "message_start");
        writer.WriteStartObject("message");
        writer.WriteString("id", FakeReply.MessageId(plan.N));
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", plan.Model);
        writer.WriteStartArray("content");
        writer.WriteEndArray();
        writer.WriteNull("stop_reason");
        writer.WriteNull("stop_sequence");
        // Anthropic reports the whole input at message_start and a placeholder output count of 1.
        WriteUsage(writer, plan.Usage, outputTokens: 1);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await sse.EndAsync();

        writer = sse.Event("ping"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "ping");
        writer.WriteEndObject();
        await sse.EndAsync();

        var index = 0;
        if (plan.Reasoning is { } reasoning)
        {
            writer = BlockStart(sse, index);
            writer.WriteString("type", "thinking");
            writer.WriteString("thinking", "");
            writer.WriteString("signature", "");
            await BlockStartEndAsync(sse, writer);

            var count = plan.ChunkCount(reasoning);
            for (var i = 0; i < count; i++)
            {
                writer = Delta(sse, index, "thinking_delta");
                writer.WriteString("thinking", ReplyPlan.Chunk(reasoning, count, i));
                await DeltaEndAsync(sse, writer);
            }

            writer = Delta(sse, index, "signature_delta");
            writer.WriteString("signature", FakeReply.Signature(plan.N));
            await DeltaEndAsync(sse, writer);
            await BlockStopAsync(sse, index++);
        }

        if (plan.ToolName is null)
        {
            writer = BlockStart(sse, index);
            writer.WriteString("type", "text");
            writer.WriteString("text", "");
            await BlockStartEndAsync(sse, writer);

            var count = plan.ChunkCount(plan.Text);
            for (var i = 0; i < count; i++)
            {
                writer = Delta(sse, index, "text_delta");
                writer.WriteString("text", ReplyPlan.Chunk(plan.Text, count, i));
                await DeltaEndAsync(sse, writer);
            }
        }
        else
        {
            writer = BlockStart(sse, index);
            writer.WriteString("type", "tool_use");
            writer.WriteString("id", FakeReply.ToolUseId(plan.N));
            writer.WriteString("name", plan.ToolName);
            writer.WriteStartObject("input");
            writer.WriteEndObject();
            await BlockStartEndAsync(sse, writer);

            var count = plan.ChunkCount(plan.ToolArguments);
            for (var i = 0; i < count; i++)
            {
                writer = Delta(sse, index, "input_json_delta");
                writer.WriteString("partial_json", ReplyPlan.Chunk(plan.ToolArguments, count, i));
                await DeltaEndAsync(sse, writer);
            }
        }

        await BlockStopAsync(sse, index);

        writer = sse.Event("message_delta"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "message_delta");
        writer.WriteStartObject("delta");
        writer.WriteString("stop_reason", StopReason(plan));
        writer.WriteNull("stop_sequence");
        writer.WriteEndObject();
        WriteUsage(writer, plan.Usage, plan.Usage.OutputTokens);
        writer.WriteEndObject();
        await sse.EndAsync();

        writer = sse.Event("message_stop"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "message_stop");
        writer.WriteEndObject();
        await sse.EndAsync();
    }

    /// <summary>Writes <c>content_block_start</c> up to the open <c>content_block</c> object.</summary>
    private static Utf8JsonWriter BlockStart(SseStream sse, int index)
    {
        var writer = sse.Event("content_block_start"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_start");
        writer.WriteNumber("index", index);
        writer.WriteStartObject("content_block");
        return writer;
    }

    private static ValueTask BlockStartEndAsync(SseStream sse, Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
        return sse.EndAsync();
    }

    /// <summary>Writes <c>content_block_delta</c> up to the open <c>delta</c> object, its type set.</summary>
    private static Utf8JsonWriter Delta(SseStream sse, int index, string type)
    {
        var writer = sse.Event("content_block_delta"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_delta");
        writer.WriteNumber("index", index);
        writer.WriteStartObject("delta");
        writer.WriteString("type", type);
        return writer;
    }

    private static ValueTask DeltaEndAsync(SseStream sse, Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
        return sse.EndAsync();
    }

    private static ValueTask BlockStopAsync(SseStream sse, int index)
    {
        var writer = sse.Event("content_block_stop"u8);
        writer.WriteStartObject();
        writer.WriteString("type", "content_block_stop");
        writer.WriteNumber("index", index);
        writer.WriteEndObject();
        return sse.EndAsync();
    }

    private static void WriteUsage(Utf8JsonWriter writer, FakeUsage usage, int outputTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.AnthropicInputTokens);
        writer.WriteNumber("cache_creation_input_tokens", usage.CacheCreationTokens);
        writer.WriteNumber("cache_read_input_tokens", usage.CachedTokens);
        writer.WriteNumber("output_tokens", outputTokens);
        writer.WriteEndObject();
    }

    private static string StopReason(ReplyPlan plan) => plan.ToolName is null ? "end_turn" : "tool_use";
}
