namespace Gateway.Grains.Options;

/// <summary>
/// One <c>providers.&lt;name&gt;</c> entry (SPEC §13.1, §13.2): a third-party upstream the gateway routes
/// <c>&lt;name&gt;/&lt;model&gt;</c> aliases and <c>/&lt;name&gt;/v1/...</c> routes to.
/// </summary>
public sealed class ProviderOptions
{
    /// <summary><c>anthropic</c>, <c>openai-compatible</c> or <c>openai-responses</c> (see <see cref="ProviderTypes"/>).</summary>
    public string? Type { get; set; }

    /// <summary>Absolute http(s) URL; <c>/v1/...</c> is appended unless it already ends in <c>/v&lt;digits&gt;</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The provider's key; sent per <see cref="AuthType"/>, never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>x-api-key</c> (default for <c>anthropic</c>) or <c>authorization</c> (default otherwise).</summary>
    public string? AuthType { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Per-model options by upstream model id (SPEC §13.4).</summary>
    public Dictionary<string, ProviderModelOptions> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Extra headers sent with every upstream request to this provider.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The values of <see cref="ProviderOptions.Type"/> and <see cref="ProviderModelOptions.Type"/> (SPEC §13.2).</summary>
public static class ProviderTypes
{
    public const string Anthropic = "anthropic";
    public const string OpenAICompatible = "openai-compatible";
    public const string OpenAIResponses = "openai-responses";

    public static bool IsKnown(string? type) => type is Anthropic or OpenAICompatible or OpenAIResponses;
}

/// <summary>The values of <see cref="ProviderOptions.AuthType"/> (SPEC §13.2).</summary>
public static class ProviderAuthTypes
{
    public const string ApiKeyHeader = "x-api-key";
    public const string Authorization = "authorization";
    public const string AzureEntra = "azure-entra";
    public const string OAuth2 = "oauth2";
}
