using System.Text.Json;

namespace Gateway.Api.Catalog;

/// <summary>
/// One account's parsed Copilot catalogue (SPEC §2.5): kept entries (picker-enabled or embeddings, not disabled by
/// policy) in upstream order, with the raw JSON of each entry for <c>/v1/models</c>.
/// </summary>
public sealed class ModelCatalog
{
    public static readonly ModelCatalog Empty = new(0, [], []);

    private readonly Dictionary<string, ModelInfo> _byId;

    private ModelCatalog(long version, IReadOnlyList<ModelInfo> models, IReadOnlyList<JsonElement> rawEntries)
    {
        Version = version;
        Models = models;
        RawEntries = rawEntries;
        _byId = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            _byId.TryAdd(model.Id, model);
        }
    }

    public long Version { get; }

    public IReadOnlyList<ModelInfo> Models { get; }

    /// <summary>The upstream JSON of each kept entry, aligned with <see cref="Models"/>.</summary>
    public IReadOnlyList<JsonElement> RawEntries { get; }

    public IReadOnlyCollection<string> Ids => _byId.Keys;

    public ModelInfo? Find(string id) => _byId.GetValueOrDefault(id);

    public static ModelCatalog Parse(long version, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var data = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("data", out var d) ? d : doc.RootElement;
        var models = new List<ModelInfo>();
        var raw = new List<JsonElement>();
        if (data.ValueKind != JsonValueKind.Array)
        {
            return new ModelCatalog(version, models, raw);
        }
        foreach (var entry in data.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || Str(entry, "id") is not { } id)
            {
                continue;
            }
            var capabilities = Obj(entry, "capabilities");
            var type = capabilities is { } c ? Str(c, "type") : null;
            var picker = entry.TryGetProperty("model_picker_enabled", out var p) && p.ValueKind == JsonValueKind.True;
            var disabled = Obj(entry, "policy") is { } policy && Str(policy, "state") == "disabled";
            if ((!picker && type != "embeddings") || disabled)
            {
                continue;
            }
            var limits = capabilities is { } c1 ? Obj(c1, "limits") : null;
            var supports = capabilities is { } c2 ? Obj(c2, "supports") : null;
            models.Add(new ModelInfo
            {
                Id = id,
                Name = Str(entry, "name"),
                Vendor = Str(entry, "vendor"),
                Type = type,
                SupportedEndpoints = StrArray(entry, "supported_endpoints"),
                MaxContextWindowTokens = limits is { } l1 ? Num(l1, "max_context_window_tokens") : null,
                MaxOutputTokens = limits is { } l2 ? Num(l2, "max_output_tokens") : null,
                MaxPromptTokens = limits is { } l3 ? Num(l3, "max_prompt_tokens") : null,
                VisionMaxPromptImageSize = limits is { } l4 && Obj(l4, "vision") is { } v ? Num(v, "max_prompt_image_size") : null,
                SupportsToolCalls = supports is { } s1 && Bool(s1, "tool_calls"),
                SupportsVision = supports is { } s2 && Bool(s2, "vision"),
                SupportsAdaptiveThinking = supports is { } s3 && Bool(s3, "adaptive_thinking"),
                ReasoningEfforts = supports is { } s4 ? StrArray(s4, "reasoning_effort") : [],
                MinThinkingBudget = supports is { } s5 ? Num(s5, "min_thinking_budget") : null,
                MaxThinkingBudget = supports is { } s6 ? Num(s6, "max_thinking_budget") : null,
                Tokenizer = capabilities is { } c3 ? Str(c3, "tokenizer") : null,
            });
            raw.Add(entry.Clone());
        }
        return new ModelCatalog(version, models, raw);
    }

    private static JsonElement? Obj(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Num(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static bool Bool(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string[] StrArray(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
            : [];
}
