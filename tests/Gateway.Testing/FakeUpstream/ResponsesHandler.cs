using System.Text.Json;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// <c>POST /responses</c> (Copilot) and <c>/v1/responses</c> (providers): a Responses object, or with
/// <c>"stream": true</c> the Responses event stream, each event written <c>event: &lt;type&gt;\ndata: &lt;json&gt;\n\n</c>.
/// Output items: an optional <c>reasoning</c> item (summary deltas, <c>encrypted_content</c> on its done item), then a
/// <c>message</c> with <c>output_text</c> deltas, or a <c>function_call</c> with argument deltas when the request has
/// tools; <c>response.completed</c> carries the usage (the stream SPEC §10 translates).
/// </summary>
internal static class ResponsesHandler
{
    public static Task HandleAsync(FakeExchange exchange)
    {
        var fields = exchange.Fields;
        var plan = ReplyPlan.Create(exchange, fields.HasReasoning && fields.ReasoningEffort != "none");
        return plan.Stream ? StreamAsync(exchange, plan) : CompleteAsync(exchange, plan);
    }

    private static Task CompleteAsync(FakeExchange exchange, ReplyPlan plan)
    {
        var writer = exchange.StartJson();
        WriteResponse(writer, exchange, plan, completed: true);
        return exchange.EndJsonAsync();
    }

    private static async Task StreamAsync(FakeExchange exchange, ReplyPlan plan)
    {
        var events = new Events(await SseStream.StartAsync(exchange));

        var writer = events.Begin("response.created"u8);
        writer.WritePropertyName("response");
        WriteResponse(writer, exchange, plan, completed: false);
        await events.EndAsync();

        writer = events.Begin("response.in_progress"u8);
        writer.WritePropertyName("response");
        WriteResponse(writer, exchange, plan, completed: false);
        await events.EndAsync();

        var outputIndex = 0;
        if (plan.Reasoning is { } reasoning)
        {
            await StreamReasoningAsync(events, plan, reasoning, outputIndex++);
        }

        if (plan.ToolName is null)
        {
            await StreamMessageAsync(events, plan, outputIndex);
        }
        else
        {
            await StreamFunctionCallAsync(events, plan, outputIndex);
        }

        writer = events.Begin("response.completed"u8);
        writer.WritePropertyName("response");
        WriteResponse(writer, exchange, plan, completed: true);
        await events.EndAsync();
    }

    private static async Task StreamReasoningAsync(Events events, ReplyPlan plan, string reasoning, int outputIndex)
    {
        var itemId = FakeReply.ReasoningItemId(plan.N);
        var writer = events.Begin("response.output_item.added"u8);
        writer.WriteNumber("output_index", outputIndex);
        writer.WritePropertyName("item");
        WriteReasoningItem(writer, plan, done: false);
        await events.EndAsync();

        writer = events.Begin("response.reasoning_summary_part.added"u8);
        WriteSummaryLocation(writer, itemId, outputIndex);
        WriteSummaryPart(writer, "");
        await events.EndAsync();

        var count = plan.ChunkCount(reasoning);
        for (var i = 0; i < count; i++)
        {
            writer = events.Begin("response.reasoning_summary_text.delta"u8);
            WriteSummaryLocation(writer, itemId + plan.DeltaItemIdSuffix, outputIndex);
            writer.WriteString("delta", ReplyPlan.Chunk(reasoning, count, i));
            await events.EndAsync();
        }

        writer = events.Begin("response.reasoning_summary_text.done"u8);
        WriteSummaryLocation(writer, itemId, outputIndex);
        writer.WriteString("text", reasoning);
        await events.EndAsync();

        writer = events.Begin("response.reasoning_summary_part.done"u8);
        WriteSummaryLocation(writer, itemId, outputIndex);
        WriteSummaryPart(writer, reasoning);
        await events.EndAsync();

        writer = events.Begin("response.output_item.done"u8);
        writer.WriteNumber("output_index", outputIndex);
        writer.WritePropertyName("item");
        WriteReasoningItem(writer, plan, done: true);
        await events.EndAsync();
    }

    private static async Task StreamMessageAsync(Events events, ReplyPlan plan, int outputIndex)
    {
        var itemId = FakeReply.MessageId(plan.N);
        var writer = events.Begin("response.output_item.added"u8);
        writer.WriteNumber("output_index", outputIndex);
        writer.WritePropertyName("item");
        WriteMessageItem(writer, plan, done: false);
        await events.EndAsync();

        writer = events.Begin("response.content_part.added"u8);
        WriteContentLocation(writer, itemId, outputIndex);
        writer.WritePropertyName("part");
        WriteOutputText(writer, "");
        await events.EndAsync();

        var count = plan.ChunkCount(plan.Text);
        for (var i = 0; i < count; i++)
        {
            writer = events.Begin("response.output_text.delta"u8);
            WriteContentLocation(writer, itemId + plan.DeltaItemIdSuffix, outputIndex);
            writer.WriteString("delta", ReplyPlan.Chunk(plan.Text, count, i));
            await events.EndAsync();
        }

        writer = events.Begin("response.output_text.done"u8);
        WriteContentLocation(writer, itemId, outputIndex);
        writer.WriteString("text", plan.Text);
        await events.EndAsync();

        writer = events.Begin("response.content_part.done"u8);
        WriteContentLocation(writer, itemId, outputIndex);
        writer.WritePropertyName("part");
        WriteOutputText(writer, plan.Text);
        await events.EndAsync();

        writer = events.Begin("response.output_item.done"u8);
        writer.WriteNumber("output_index", outputIndex);
        writer.WritePropertyName("item");
        WriteMessageItem(writer, plan, done: true);
        await events.EndAsync();
    }

    private static async Task StreamFunctionCallAsync(Events events, ReplyPlan plan, int outputIndex)
    {
        var itemId = FakeReply.FunctionCallItemId(plan.N);
        var writer = events.Begin("response.output_item.added"u8);
        writer.WriteNumber("output_index", outputIndex);
        writer.WritePropertyName("item");
        WriteFunctionCallItem(writer, plan, done: false);
        await events.EndAsync();

        var count = plan.ChunkCount(plan.ToolArguments);
        for (var i = 0; i < count; i++)
        {
            writer = events.Begin("response.function_call_arguments.delta"u8);
            writer.WriteString("item_id", itemId + plan.DeltaItemIdSuffix);
            writer.WriteNumber("output_index", outputIndex);
            writer.WriteString("delta", ReplyPlan.Chunk(plan.ToolArguments, count, i));
            await events.EndAsync();
        }

        writer = events.Begin("response.function_call_arguments.done"u8);
        writer.WriteString("item_id", itemId);
        writer.WriteNumber("output_index", outputIndex);
        writer.WriteString("arguments", plan.ToolArguments);
        await events.EndAsync();

        writer = events.Begin("response.output_item.done"u8);
        writer.WriteNumber("output_index", outputIndex);
        writer.WritePropertyName("item");
        WriteFunctionCallItem(writer, plan, done: true);
        await events.EndAsync();
    }

    /// <summary>The Responses object: in progress (no output, no usage) or completed.</summary>
    private static void WriteResponse(Utf8JsonWriter writer, FakeExchange exchange, ReplyPlan plan, bool completed)
    {
        writer.WriteStartObject();
        writer.WriteString("id", FakeReply.ResponseId(plan.N));
        writer.WriteString("object", "response");
        writer.WriteNumber("created_at", plan.Created);
        writer.WriteString("status", completed ? "completed" : "in_progress");
        writer.WriteBoolean("background", false);
        writer.WriteNull("error");
        writer.WriteNull("incomplete_details");
        writer.WriteNull("instructions");
        writer.WriteNull("max_output_tokens");
        writer.WriteString("model", plan.Model);
        writer.WriteStartArray("output");
        if (completed)
        {
            if (plan.Reasoning is not null)
            {
                WriteReasoningItem(writer, plan, done: true);
            }

            if (plan.ToolName is null)
            {
                WriteMessageItem(writer, plan, done: true);
            }
            else
            {
                WriteFunctionCallItem(writer, plan, done: true);
            }
        }

        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls", true);
        writer.WriteNull("previous_response_id");
        writer.WriteStartObject("reasoning");
        if (exchange.Fields.ReasoningEffort is { } effort)
        {
            writer.WriteString("effort", effort);
        }
        else
        {
            writer.WriteNull("effort");
        }

        writer.WriteNull("summary");
        writer.WriteEndObject();
        writer.WriteBoolean("store", false);
        writer.WriteNumber("temperature", 1);
        writer.WriteStartObject("text");
        writer.WriteStartObject("format");
        writer.WriteString("type", "text");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("tool_choice", "auto");
        writer.WriteStartArray("tools");
        writer.WriteEndArray();
        writer.WriteNumber("top_p", 1);
        writer.WriteString("truncation", "disabled");
        if (completed)
        {
            WriteUsage(writer, plan.Usage);
        }
        else
        {
            writer.WriteNull("usage");
        }

        writer.WriteNull("user");
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteReasoningItem(Utf8JsonWriter writer, ReplyPlan plan, bool done)
    {
        writer.WriteStartObject();
        writer.WriteString("id", FakeReply.ReasoningItemId(plan.N));
        writer.WriteString("type", "reasoning");
        writer.WriteStartArray("summary");
        if (done)
        {
            WriteSummaryText(writer, plan.Reasoning!);
        }

        writer.WriteEndArray();
        if (done)
        {
            writer.WriteString("encrypted_content", FakeReply.EncryptedContent(plan.N));
        }

        writer.WriteEndObject();
    }

    private static void WriteMessageItem(Utf8JsonWriter writer, ReplyPlan plan, bool done)
    {
        writer.WriteStartObject();
        writer.WriteString("id", FakeReply.MessageId(plan.N));
        writer.WriteString("type", "message");
        writer.WriteString("status", done ? "completed" : "in_progress");
        writer.WriteStartArray("content");
        if (done)
        {
            WriteOutputText(writer, plan.Text);
        }

        writer.WriteEndArray();
        writer.WriteString("role", "assistant");
        writer.WriteEndObject();
    }

    private static void WriteFunctionCallItem(Utf8JsonWriter writer, ReplyPlan plan, bool done)
    {
        writer.WriteStartObject();
        writer.WriteString("id", FakeReply.FunctionCallItemId(plan.N));
        writer.WriteString("type", "function_call");
        writer.WriteString("status", done ? "completed" : "in_progress");
        writer.WriteString("arguments", done ? plan.ToolArguments : "");
        writer.WriteString("call_id", FakeReply.CallId(plan.N));
        writer.WriteString("name", plan.ToolName);
        writer.WriteEndObject();
    }

    private static void WriteOutputText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "output_text");
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteSummaryPart(Utf8JsonWriter writer, string text)
    {
        writer.WritePropertyName("part");
        WriteSummaryText(writer, text);
    }

    private static void WriteSummaryText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "summary_text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteContentLocation(Utf8JsonWriter writer, string itemId, int outputIndex)
    {
        writer.WriteString("item_id", itemId);
        writer.WriteNumber("output_index", outputIndex);
        writer.WriteNumber("content_index", 0);
    }

    private static void WriteSummaryLocation(Utf8JsonWriter writer, string itemId, int outputIndex)
    {
        writer.WriteString("item_id", itemId);
        writer.WriteNumber("output_index", outputIndex);
        writer.WriteNumber("summary_index", 0);
    }

    private static void WriteUsage(Utf8JsonWriter writer, FakeUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteStartObject("input_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedTokens);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteStartObject("output_tokens_details");
        writer.WriteNumber("reasoning_tokens", 0);
        writer.WriteEndObject();
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteEndObject();
    }

    /// <summary>Responses events: the SSE name repeated as <c>type</c>, and a <c>sequence_number</c> from 0.</summary>
    private sealed class Events(SseStream sse)
    {
        private int _sequence;
        private Utf8JsonWriter? _writer;

        /// <summary>Starts an event's object with its <c>type</c> and <c>sequence_number</c>; <see cref="EndAsync"/> closes it.</summary>
        public Utf8JsonWriter Begin(ReadOnlySpan<byte> type)
        {
            _writer = sse.Event(type);
            _writer.WriteStartObject();
            _writer.WriteString("type"u8, type);
            _writer.WriteNumber("sequence_number"u8, _sequence++);
            return _writer;
        }

        public ValueTask EndAsync()
        {
            _writer!.WriteEndObject();
            return sse.EndAsync();
        }
    }
}
