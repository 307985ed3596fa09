using System.Text.Json.Nodes;
using Gateway.Api.Providers;

namespace Gateway.Api.Tests.Providers;

/// <summary>Per-model options on JSON bodies (SPEC §13.4), compared as exact serialised JSON (property order included).</summary>
public sealed class ProviderBodiesTests
{
    private static readonly ProviderModel Options = new()
    {
        Id = "m",
        Type = "anthropic",
        Temperature = 0.3,
        TopP = 0.8,
        TopK = 40,
        ExtraBody = JsonNode.Parse("""{"max_tokens":1,"thinking_budget":99,"metadata":{"a":1}}""")!.AsObject(),
    };

    [Fact]
    public void AbsentFields_GetTheDefaults_AndExtraBodyFillsTheRest()
    {
        var body = JsonNode.Parse("""{"model":"m","max_tokens":100}""")!.AsObject();
        ProviderBodies.Apply(body, Options, hasTopK: true);
        Assert.Equal("""{"model":"m","max_tokens":100,"temperature":0.3,"top_p":0.8,"top_k":40,"thinking_budget":99,"metadata":{"a":1}}""", ProviderBodies.Serialize(body).AsString());
    }

    [Fact]
    public void RequestFieldsWin_ExceptThinkingBudget()
    {
        var body = JsonNode.Parse("""{"temperature":1,"top_p":null,"top_k":5,"thinking_budget":4000,"metadata":{"b":2}}""")!.AsObject();
        ProviderBodies.Apply(body, Options, hasTopK: true);
        Assert.Equal("""{"temperature":1,"top_p":null,"top_k":5,"thinking_budget":99,"metadata":{"b":2},"max_tokens":1}""", ProviderBodies.Serialize(body).AsString());
    }

    [Fact]
    public void DialectsWithoutTopK_NeverGetIt()
    {
        var body = new JsonObject();
        ProviderBodies.Apply(body, Options with { ExtraBody = null }, hasTopK: false);
        Assert.Equal("""{"temperature":0.3,"top_p":0.8}""", ProviderBodies.Serialize(body).AsString());
        Assert.False(ProviderBodies.HasOptions(ProviderModel.Default("m", "anthropic")));
    }

    [Fact]
    public void ExtraBodyValues_AreCopied_SoBodiesNeverShareNodes()
    {
        var first = new JsonObject();
        var second = new JsonObject();
        ProviderBodies.Apply(first, Options, hasTopK: false);
        ProviderBodies.Apply(second, Options, hasTopK: false);
        first["metadata"]!["a"] = 2;
        Assert.Equal("""{"a":1}""", second["metadata"]!.ToJsonString());
        Assert.Equal("""{"a":1}""", Options.ExtraBody!["metadata"]!.ToJsonString());
    }
}

internal static class Utf8Extensions
{
    public static string AsString(this byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}
