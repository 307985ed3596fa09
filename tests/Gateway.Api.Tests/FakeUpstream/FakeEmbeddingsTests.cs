using System.Text.Json;
using Gateway.Testing.FakeUpstream;
using static Gateway.Api.Tests.FakeUpstream.FakeUpstreamTestKit;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>Embeddings answers (SPEC §11.3): OpenAI list shape with deterministic unit vectors.</summary>
public sealed class FakeEmbeddingsTests
{
    [Fact]
    public async Task Embeddings_AnswersOneDeterministicUnitVectorPerInput()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        var token = await fake.CopilotTokenAsync();

        var (status, _, body) = await fake.SendAsync(Post("/embeddings", """{"model":"text-embedding-3-small","input":["alpha","beta","alpha"]}""", token));

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.Equal("text-embedding-3-small", root.GetProperty("model").GetString());
        AssertJson("""{"prompt_tokens":20,"total_tokens":20}""", root.GetProperty("usage").GetRawText());
        var data = root.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2], data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.All(data, d => Assert.Equal("embedding", d.GetProperty("object").GetString()));
        var vectors = data.Select(d => d.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        Assert.Equal(FakeReply.Embedding("alpha", 8), vectors[0]);
        Assert.Equal(FakeReply.Embedding("beta", 8), vectors[1]);
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.All(vectors, v => Assert.InRange(Math.Sqrt(v.Sum(x => (double)x * x)), 0.999, 1.001));
    }

    [Fact]
    public async Task Embeddings_HonoursDimensionsAndSingleStringInput()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();

        var (status, _, body) = await fake.SendAsync(Post("/v1/embeddings", """{"model":"text-embedding-3-small","input":"one","dimensions":3}""", "sk-provider"));

        Assert.Equal(200, status);
        using var json = JsonDocument.Parse(body);
        var vector = Assert.Single(json.RootElement.GetProperty("data").EnumerateArray()).GetProperty("embedding");
        Assert.Equal(FakeReply.Embedding("one", 3), vector.EnumerateArray().Select(v => v.GetSingle()));
    }
}
