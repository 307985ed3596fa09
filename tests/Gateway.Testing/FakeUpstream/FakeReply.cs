namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// The deterministic values generation endpoints answer with, so tests can state what they expect.
/// <c>n</c> is the 1-based number of the generation request (chat, messages, responses) this server has served;
/// see <see cref="FakeUpstreamState.GenerationCount"/>.
/// </summary>
public static class FakeReply
{
    /// <summary>The reply text unless <see cref="FakeUpstreamState.ReplyText"/> overrides it.</summary>
    public static string Text(string model, long n) => $"Hello from {model} #{n}";

    /// <summary>The reasoning (thinking, reasoning summary, <c>reasoning_text</c>) text.</summary>
    public static string ReasoningText(string model, long n) => $"Thinking about {model} #{n}.";

    /// <summary>The Anthropic thinking <c>signature</c>.</summary>
    public static string Signature(long n) => $"sig_fake_{n}";

    /// <summary>The Chat Completions <c>reasoning_opaque</c> Copilot sends for Claude models.</summary>
    public static string ReasoningOpaque(long n) => $"opaque_fake_{n}";

    /// <summary>The Responses reasoning item's <c>encrypted_content</c>.</summary>
    public static string EncryptedContent(long n) => $"enc_fake_{n}";

    public static string ChatCompletionId(long n) => $"chatcmpl-fake{n}";

    public static string MessageId(long n) => $"msg_fake{n}";

    public static string ResponseId(long n) => $"resp_fake{n}";

    public static string ReasoningItemId(long n) => $"rs_fake{n}";

    public static string FunctionCallItemId(long n) => $"fc_fake{n}";

    /// <summary>The Chat <c>tool_calls[].id</c> and the Responses <c>call_id</c>.</summary>
    public static string CallId(long n) => $"call_fake{n}";

    /// <summary>The Anthropic <c>tool_use</c> id.</summary>
    public static string ToolUseId(long n) => $"toolu_fake{n}";

    /// <summary>The unit vector <c>/embeddings</c> answers for <paramref name="input"/>.</summary>
    public static float[] Embedding(string input, int dimensions)
    {
        var vector = new float[dimensions];
        FillEmbedding(vector, input);
        return vector;
    }

    /// <summary>
    /// How a streamed value is cut into <paramref name="chunks"/> pieces of near-equal length (earlier pieces get the
    /// extra characters, a surrogate pair is never cut); fewer pieces when the value is shorter. Concatenated, the
    /// pieces are the value.
    /// </summary>
    public static IReadOnlyList<string> Split(string value, int chunks)
    {
        var count = ChunkCount(value.Length, chunks);
        var pieces = new string[count];
        for (var i = 0; i < count; i++)
        {
            pieces[i] = value[ChunkRange(value, count, i)];
        }

        return pieces;
    }

    internal static int ChunkCount(int length, int chunks) => Math.Clamp(chunks, 1, Math.Max(length, 1));

    internal static Range ChunkRange(ReadOnlySpan<char> value, int count, int index) =>
        new(Boundary(value, count, index), Boundary(value, count, index + 1));

    private static int Boundary(ReadOnlySpan<char> value, int count, int index)
    {
        var at = index * (value.Length / count) + Math.Min(index, value.Length % count);
        return at > 0 && at < value.Length && char.IsLowSurrogate(value[at]) ? at + 1 : at;
    }

    internal static void FillEmbedding(Span<float> vector, string input)
    {
        // FNV-1a seeds an xorshift64 generator (Marsaglia 2003); the vector is then scaled to unit length.
        var state = 14695981039346656037UL;
        foreach (var c in input)
        {
            state = (state ^ c) * 1099511628211UL;
        }

        state |= 1;
        double norm = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            var value = (state >> 11) * (1.0 / (1UL << 53)) * 2 - 1;
            vector[i] = (float)value;
            norm += value * value;
        }

        var scale = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(vector[i] * scale);
        }
    }
}
