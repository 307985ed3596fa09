using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Catalog;

namespace Gateway.Api.Tests.Catalog;

public sealed class ModelCatalogTests
{
    private const string Json = """
    {"data":[
      {"id":"gpt-4.1","name":"GPT-4.1","vendor":"OpenAI","model_picker_enabled":true,"supported_endpoints":["/chat/completions"],
       "capabilities":{"type":"chat","tokenizer":"o200k_base","limits":{"max_output_tokens":16384,"max_context_window_tokens":128000},"supports":{"tool_calls":true}}},
      {"id":"gpt-5.4","name":"GPT-5.4","vendor":"OpenAI","model_picker_enabled":true,"supported_endpoints":["/responses","ws:/responses"],
       "capabilities":{"type":"chat","limits":{"max_context_window_tokens":1000000},"supports":{"reasoning_effort":["low","medium","high","xhigh"]}}},
      {"id":"text-embedding-3-small","vendor":"OpenAI","model_picker_enabled":false,"capabilities":{"type":"embeddings"}},
      {"id":"hidden","model_picker_enabled":false,"capabilities":{"type":"chat"}},
      {"id":"blocked","model_picker_enabled":true,"policy":{"state":"disabled"},"capabilities":{"type":"chat"}}
    ]}
    """;

    [Fact]
    public void Parse_KeepsPickerAndEmbeddingModelsOnly()
    {
        var catalog = ModelCatalog.Parse(3, Json);
        Assert.Equal(["gpt-4.1", "gpt-5.4", "text-embedding-3-small"], catalog.Models.Select(m => m.Id));
        Assert.Equal(3, catalog.Version);
    }

    [Fact]
    public void Parse_ReadsCapabilities()
    {
        var catalog = ModelCatalog.Parse(1, Json);
        var gpt41 = catalog.Find("gpt-4.1")!;
        Assert.Equal(16384, gpt41.MaxOutputTokens);
        Assert.Equal("o200k_base", gpt41.Tokenizer);
        Assert.True(gpt41.SupportsToolCalls);
        Assert.True(gpt41.Supports("/chat/completions"));
        Assert.Equal(["low", "medium", "high", "xhigh"], catalog.Find("gpt-5.4")!.ReasoningEfforts);
    }

    [Fact]
    public void ModelList_HasEnvelopeAndExtraFields()
    {
        var catalog = ModelCatalog.Parse(1, Json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ModelListWriter.Write(writer, catalog);
        }
        var root = JsonNode.Parse(buffer.ToArray())!;
        Assert.Equal("list", (string?)root["object"]);
        Assert.False((bool)root["has_more"]!);
        Assert.Equal("gpt-4.1", (string?)root["first_id"]);
        Assert.Equal("text-embedding-3-small", (string?)root["last_id"]);
        var gpt54 = root["data"]![1]!;
        Assert.Equal("gpt-5.4[1m]", (string?)gpt54["claude_model_id"]);
        Assert.Equal("OpenAI", (string?)gpt54["owned_by"]);
        Assert.Equal("GPT-5.4", (string?)gpt54["display_name"]);
        Assert.Equal("model", (string?)gpt54["object"]);
        Assert.Equal(0, (int?)gpt54["created"]);
        Assert.Equal("1970-01-01T00:00:00.000Z", (string?)gpt54["created_at"]);
        Assert.NotNull(gpt54["supported_endpoints"]);
        Assert.Equal("gpt-4.1", (string?)root["data"]![0]!["claude_model_id"]);
    }
}
