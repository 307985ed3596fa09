using System.Text.Json;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// <c>POST /embeddings</c> (Copilot) and <c>/v1/embeddings</c> (providers): the OpenAI embeddings list. Each vector is a
/// unit vector derived from its input text alone, so equal inputs get equal vectors in every run.
/// </summary>
internal static class EmbeddingsHandler
{
    public static Task HandleAsync(FakeExchange exchange)
    {
        var fields = exchange.Fields;
        if (fields.Inputs is null)
        {
            return exchange.WriteJsonAsync(
                """{"error":{"message":"'input' is a required property","type":"invalid_request_error","param":"input","code":null}}""",
                400);
        }

        var dimensions = fields.Dimensions ?? exchange.State.EmbeddingDimensions;
        if (dimensions is <= 0 or > 65_536)
        {
            return exchange.WriteJsonAsync(
                """{"error":{"message":"'dimensions' is out of range","type":"invalid_request_error","param":"dimensions","code":null}}""",
                400);
        }

        var usage = exchange.State.Usage;
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        Span<float> vector = dimensions <= 1024 ? stackalloc float[dimensions] : new float[dimensions];
        for (var i = 0; i < fields.Inputs.Count; i++)
        {
            FakeReply.FillEmbedding(vector, fields.Inputs[i]);
            writer.WriteStartObject();
            writer.WriteString("object", "embedding");
            writer.WriteNumber("index", i);
            writer.WriteStartArray("embedding");
            foreach (var value in vector)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("model", fields.Model);
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.InputTokens);
        writer.WriteNumber("total_tokens", usage.InputTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }
}
