using System.Text.Json;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// <c>POST /chat/completions</c> (Copilot) and <c>/v1/chat/completions</c> (providers): a <c>chat.completion</c>, or
/// with <c>"stream": true</c> <c>chat.completion.chunk</c> events ending in <c>data: [DONE]</c>. Reasoning comes as
/// Copilot sends it for Claude models: <c>reasoning_text</c> deltas, then <c>reasoning_opaque</c> on a delta with
/// <c>content: ""</c> (the stream SPEC §7 steps 2 and 4 translate).
/// </summary>
internal static class ChatCompletionsHandler
{
    public static Task HandleAsync(FakeExchange exchange)
    {
        var plan = ReplyPlan.Create(exchange, exchange.Fields.HasThinkingBudget);
        return plan.Stream ? StreamAsync(exchange, plan) : CompleteAsync(exchange, plan);
    }

    private static Task CompleteAsync(FakeExchange exchange, ReplyPlan plan)
    {
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        WriteEnvelope(writer, plan, "chat.completion");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        if (plan.ToolName is null)
        {
            writer.WriteString("content", plan.Text);
        }
        else
        {
            writer.WriteNull("content");
        }

        if (plan.Reasoning is not null)
        {
            writer.WriteString("reasoning_text", plan.Reasoning);
            writer.WriteString("reasoning_opaque", FakeReply.ReasoningOpaque(plan.N));
        }

        if (plan.ToolName is not null)
        {
            writer.WriteStartArray("tool_calls");
            writer.WriteStartObject();
            writer.WriteString("id", FakeReply.CallId(plan.N));
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", plan.ToolName);
            writer.WriteString("arguments", plan.ToolArguments);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteString("finish_reason", FinishReason(plan));
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteUsage(writer, plan.Usage);
        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }

    private static async Task StreamAsync(FakeExchange exchange, ReplyPlan plan)
    {
        var sse = await SseStream.StartAsync(exchange);

        var delta = BeginChunk(sse, plan);
        delta.WriteString("role", "assistant");
        delta.WriteNull("content");
        await EndChunkAsync(sse, delta, finishReason: null);

        if (plan.Reasoning is { } reasoning)
        {
            var count = plan.ChunkCount(reasoning);
            for (var i = 0; i < count; i++)
            {
                delta = BeginChunk(sse, plan);
                delta.WriteNull("content");
                delta.WriteString("reasoning_text", ReplyPlan.Chunk(reasoning, count, i));
                await EndChunkAsync(sse, delta, finishReason: null);
            }

            delta = BeginChunk(sse, plan);
            delta.WriteString("content", "");
            delta.WriteString("reasoning_opaque", FakeReply.ReasoningOpaque(plan.N));
            await EndChunkAsync(sse, delta, finishReason: null);
        }

        if (plan.ToolName is null)
        {
            var count = plan.ChunkCount(plan.Text);
            for (var i = 0; i < count; i++)
            {
                delta = BeginChunk(sse, plan);
                delta.WriteString("content", ReplyPlan.Chunk(plan.Text, count, i));
                await EndChunkAsync(sse, delta, finishReason: null);
            }
        }
        else
        {
            delta = BeginChunk(sse, plan);
            delta.WriteStartArray("tool_calls");
            delta.WriteStartObject();
            delta.WriteNumber("index", 0);
            delta.WriteString("id", FakeReply.CallId(plan.N));
            delta.WriteString("type", "function");
            delta.WriteStartObject("function");
            delta.WriteString("name", plan.ToolName);
            delta.WriteString("arguments", "");
            delta.WriteEndObject();
            delta.WriteEndObject();
            delta.WriteEndArray();
            await EndChunkAsync(sse, delta, finishReason: null);

            var count = plan.ChunkCount(plan.ToolArguments);
            for (var i = 0; i < count; i++)
            {
                delta = BeginChunk(sse, plan);
                delta.WriteStartArray("tool_calls");
                delta.WriteStartObject();
                delta.WriteNumber("index", 0);
                delta.WriteStartObject("function");
                delta.WriteString("arguments", ReplyPlan.Chunk(plan.ToolArguments, count, i));
                delta.WriteEndObject();
                delta.WriteEndObject();
                delta.WriteEndArray();
                await EndChunkAsync(sse, delta, finishReason: null);
            }
        }

        delta = BeginChunk(sse, plan);
        await EndChunkAsync(sse, delta, FinishReason(plan));

        if (exchange.Fields.IncludeUsage)
        {
            var writer = sse.Event(default);
            writer.WriteStartObject();
            WriteEnvelope(writer, plan, "chat.completion.chunk");
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            WriteUsage(writer, plan.Usage);
            writer.WriteEndObject();
            await sse.EndAsync();
        }

        await sse.DoneAsync();
    }

    /// <summary>Writes a chunk up to the open <c>delta</c> object of its single choice.</summary>
    private static Utf8JsonWriter BeginChunk(SseStream sse, ReplyPlan plan)
    {
        var writer = sse.Event(default);
        writer.WriteStartObject();
        WriteEnvelope(writer, plan, "chat.completion.chunk");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        return writer;
    }

    private static ValueTask EndChunkAsync(SseStream sse, Utf8JsonWriter writer, string? finishReason)
    {
        writer.WriteEndObject();
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason");
        }
        else
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        return sse.EndAsync();
    }

    private static void WriteEnvelope(Utf8JsonWriter writer, ReplyPlan plan, string objectType)
    {
        writer.WriteString("id", FakeReply.ChatCompletionId(plan.N));
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", plan.Created);
        writer.WriteString("model", plan.Model);
    }

    private static void WriteUsage(Utf8JsonWriter writer, FakeUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.InputTokens);
        writer.WriteNumber("completion_tokens", usage.OutputTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string FinishReason(ReplyPlan plan) => plan.ToolName is null ? "stop" : "tool_calls";
}
