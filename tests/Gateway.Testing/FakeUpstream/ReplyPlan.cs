namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// What one generation request is answered with, decided once from the request and the knobs, then written in the
/// request's dialect. Streamed values are sliced, never copied (see <see cref="FakeReply.Split"/>).
/// </summary>
internal sealed class ReplyPlan
{
    private ReplyPlan(FakeExchange exchange, bool reasoningRequested)
    {
        var state = exchange.State;
        var fields = exchange.Fields;
        N = state.NextGeneration();
        Model = fields.Model!;
        Stream = fields.Stream;
        Text = state.ReplyText ?? FakeReply.Text(Model, N);
        var reasoning = state.Reasoning switch
        {
            FakeReasoning.Always => true,
            FakeReasoning.Never => false,
            _ => reasoningRequested,
        };
        Reasoning = reasoning ? FakeReply.ReasoningText(Model, N) : null;
        ToolName = fields.HasTools && !fields.ToolChoiceNone ? fields.FirstToolName : null;
        ToolArguments = state.ToolArguments;
        Usage = state.Usage;
        Chunks = state.ContentChunks;
        DeltaItemIdSuffix = state.ResponsesDeltaItemIdSuffix ?? "";
        Created = state.Time.GetUtcNow().ToUnixTimeSeconds();
    }

    public long N { get; }
    public string Model { get; }
    public bool Stream { get; }
    public string Text { get; }

    /// <summary>The reasoning text, or null when this answer has no reasoning.</summary>
    public string? Reasoning { get; }

    /// <summary>The tool to call, or null when this answer is text.</summary>
    public string? ToolName { get; }

    public string ToolArguments { get; }
    public FakeUsage Usage { get; }
    public long Created { get; }

    /// <summary>Appended to the item id of Responses delta events (see <see cref="FakeUpstreamState.ResponsesDeltaItemIdSuffix"/>).</summary>
    public string DeltaItemIdSuffix { get; }
    private int Chunks { get; }

    public static ReplyPlan Create(FakeExchange exchange, bool reasoningRequested) => new(exchange, reasoningRequested);

    public int ChunkCount(string value) => FakeReply.ChunkCount(value.Length, Chunks);

    public static ReadOnlySpan<char> Chunk(string value, int count, int index) =>
        value.AsSpan()[FakeReply.ChunkRange(value, count, index)];
}
