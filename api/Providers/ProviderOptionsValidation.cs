using System.Text.RegularExpressions;
using Gateway.Grains.Options;

namespace Gateway.Api.Providers;

/// <summary>Start-up checks of <c>providers</c> (SPEC §0, §13.1, §13.2); each problem names its field.</summary>
public static partial class ProviderOptionsValidation
{
    /// <summary>Top-level route segments a provider name would shadow (SPEC §13.1).</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "v1", "admin", "usage", "usage-viewer", "token", "healthz", "metrics", "models", "responses", "embeddings", "chat",
    };

    public static IEnumerable<string> Validate(IReadOnlyDictionary<string, ProviderOptions> providers)
    {
        var problems = new List<string>();
        foreach (var (name, provider) in providers)
        {
            var field = $"Gateway:providers:{name}";
            if (!NamePattern().IsMatch(name))
            {
                problems.Add($"{field}: provider names must match [a-z0-9][a-z0-9_-]* (got '{name}').");
            }
            else if (ReservedNames.Contains(name))
            {
                problems.Add($"{field}: '{name}' collides with a gateway route; choose another provider name.");
            }
            if (provider is null)
            {
                problems.Add($"{field} must be an object.");
                continue;
            }
            if (!ProviderTypes.IsKnown(provider.Type))
            {
                problems.Add($"{field}:type must be anthropic, openai-compatible or openai-responses (got '{provider.Type}').");
            }
            if (string.IsNullOrWhiteSpace(provider.BaseUrl))
            {
                problems.Add($"{field}:baseUrl is required.");
            }
            else if (!Uri.TryCreate(provider.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"{field}:baseUrl must be an absolute http(s) URL (got '{provider.BaseUrl}').");
            }
            switch (provider.AuthType)
            {
                case null or ProviderAuthTypes.ApiKeyHeader or ProviderAuthTypes.Authorization:
                    break;
                case ProviderAuthTypes.AzureEntra or ProviderAuthTypes.OAuth2:
                    problems.Add($"{field}:authType '{provider.AuthType}' is not supported in this build; use x-api-key or authorization.");
                    break;
                default:
                    problems.Add($"{field}:authType must be x-api-key or authorization (got '{provider.AuthType}').");
                    break;
            }
            foreach (var (model, options) in provider.Models)
            {
                var modelField = $"{field}:models:{model}";
                if (options is null)
                {
                    continue;
                }
                if (options.Type is not null && !ProviderTypes.IsKnown(options.Type))
                {
                    problems.Add($"{modelField}:type must be anthropic, openai-compatible or openai-responses (got '{options.Type}').");
                }
                if (options.ReasoningField is not (null or "reasoning_content" or "reasoning"))
                {
                    problems.Add($"{modelField}:reasoningField must be reasoning_content or reasoning (got '{options.ReasoningField}').");
                }
                foreach (var kind in options.ToolContentSupportType)
                {
                    if (kind is not ("array" or "image" or "pdf"))
                    {
                        problems.Add($"{modelField}:toolContentSupportType entries must be array, image or pdf (got '{kind}').");
                    }
                }
                if (options.Pricing is { } pricing)
                {
                    var errors = new List<string>();
                    Pricing.PriceSheet.Create(pricing, $"{modelField}:pricing", errors);
                    problems.AddRange(errors.Select(e => e + "."));
                }
            }
        }
        return problems;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
