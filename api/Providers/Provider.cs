using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Api.Translation.Chat;
using Gateway.Grains.Options;

namespace Gateway.Api.Providers;

/// <summary>One configured, validated provider (SPEC §13.1, §13.2), compiled once from <see cref="ProviderOptions"/>.</summary>
public sealed partial class Provider
{
    private readonly IReadOnlyDictionary<string, ProviderModel> _models;

    public Provider(string name, ProviderOptions options)
    {
        Name = name;
        Type = options.Type ?? ProviderTypes.OpenAICompatible;
        BaseUrl = (options.BaseUrl ?? "").TrimEnd('/');
        ApiKey = options.ApiKey;
        Enabled = options.Enabled;
        AuthType = options.AuthType ?? (Type == ProviderTypes.Anthropic ? ProviderAuthTypes.ApiKeyHeader : ProviderAuthTypes.Authorization);
        Headers = options.Headers.Where(h => !string.IsNullOrEmpty(h.Value)).ToArray();
        IsDashScope = ChatRequestOptions.IsDashScopeProvider(name, BaseUrl);
        _versionedBase = VersionSuffix().IsMatch(BaseUrl);
        _models = options.Models.Where(m => m.Value is not null)
            .ToDictionary(m => m.Key, m => ProviderModel.Create(m.Key, m.Value, Type), StringComparer.Ordinal);
    }

    private readonly bool _versionedBase;

    public string Name { get; }

    /// <summary>The provider-wide <see cref="ProviderTypes"/> value; a model may override it (<see cref="ProviderModel.Type"/>).</summary>
    public string Type { get; }

    public string BaseUrl { get; }

    public string? ApiKey { get; }

    public string AuthType { get; }

    public bool Enabled { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>SPEC §13.4: named <c>dashscope</c> or a base URL on <c>aliyuncs.com</c>.</summary>
    public bool IsDashScope { get; }

    public IReadOnlyDictionary<string, ProviderModel> Models => _models;

    /// <summary>The model's options, or the provider defaults for a model without an entry.</summary>
    public ProviderModel Model(string id) => _models.TryGetValue(id, out var model) ? model : ProviderModel.Default(id, Type);

    /// <summary>
    /// <c>{baseUrl}/v1{endpoint}</c>, or <c>{baseUrl}{endpoint}</c> when the base URL already ends in
    /// <c>/v&lt;digits&gt;</c> (SPEC §13.2). <paramref name="endpoint"/> starts with <c>/</c>.
    /// </summary>
    public string Url(string endpoint) => _versionedBase ? BaseUrl + endpoint : BaseUrl + "/v1" + endpoint;

    [GeneratedRegex(@"/v\d+$")]
    private static partial Regex VersionSuffix();
}

/// <summary>A provider model's effective options (SPEC §13.4).</summary>
public sealed record ProviderModel
{
    public required string Id { get; init; }

    /// <summary>The model's own <c>type</c>, else the provider's.</summary>
    public required string Type { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    /// <summary>Typed <c>extraBody</c>; null when none is configured.</summary>
    public JsonObject? ExtraBody { get; init; }

    public string ReasoningField { get; init; } = "reasoning_content";

    public bool SupportPdf { get; init; }

    public ToolContentSupport ToolContentSupport { get; init; }

    public bool? ContextCache { get; init; }

    public bool? PreserveThinking { get; init; }

    public long? ContextWindow { get; init; }

    public long? MaxOutputTokens { get; init; }

    public static ProviderModel Default(string id, string providerType) => new() { Id = id, Type = providerType };

    public static ProviderModel Create(string id, ProviderModelOptions options, string providerType) => new()
    {
        Id = id,
        Type = options.Type ?? providerType,
        Temperature = options.Temperature,
        TopP = options.TopP,
        TopK = options.TopK,
        ExtraBody = ConfigurationJson.ToObject(options.ExtraBody),
        ReasoningField = options.ReasoningField ?? "reasoning_content",
        SupportPdf = options.SupportPdf ?? false,
        ToolContentSupport = options.ToolContentSupportType.Aggregate(ToolContentSupport.None, (all, kind) => all | kind switch
        {
            "array" => ToolContentSupport.Array,
            "image" => ToolContentSupport.Image,
            "pdf" => ToolContentSupport.Pdf,
            _ => ToolContentSupport.None,
        }),
        ContextCache = options.ContextCache,
        PreserveThinking = options.PreserveThinking,
        ContextWindow = options.ContextWindow,
        MaxOutputTokens = options.MaxOutputTokens,
    };
}
