using Gateway.Grains.Options;

namespace Gateway.Grains.GitHub;

/// <summary>Base URLs of SPEC §2.1: GitHub web and API, and the Copilot API of an account.</summary>
public static class GitHubEndpoints
{
    private const string DefaultWeb = "https://github.com";
    private const string DefaultApi = "https://api.github.com";

    /// <summary>The enterprise domain: scheme and trailing slashes stripped.</summary>
    public static string? EnterpriseDomain(CopilotOptions copilot)
    {
        if (string.IsNullOrWhiteSpace(copilot.EnterpriseUrl))
        {
            return null;
        }
        var value = copilot.EnterpriseUrl.Trim();
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            value = value[(scheme + 3)..];
        }
        return value.TrimEnd('/');
    }

    public static string GitHubWeb(GatewayOptions options)
        => Pick(options.Upstreams.GithubWebUrl, DefaultWeb, EnterpriseDomain(options.Copilot) is { } d ? $"https://{d}" : null);

    public static string GitHubApi(GatewayOptions options)
        => Pick(options.Upstreams.GithubApiUrl, DefaultApi, EnterpriseDomain(options.Copilot) is { } d ? $"https://api.{d}" : null);

    /// <summary>
    /// Copilot base URL, first that applies: configured <c>upstreams.copilotApiUrl</c>; enterprise; the opencode OAuth
    /// app; the <c>endpoints.api</c> of the latest token exchange; the account type.
    /// </summary>
    public static string Copilot(GatewayOptions options, string? exchangedApiUrl)
    {
        if (!string.IsNullOrWhiteSpace(options.Upstreams.CopilotApiUrl))
        {
            return options.Upstreams.CopilotApiUrl.TrimEnd('/');
        }
        if (EnterpriseDomain(options.Copilot) is { } domain)
        {
            return $"https://copilot-api.{domain}";
        }
        if (string.Equals(options.Copilot.OauthApp, "opencode", StringComparison.OrdinalIgnoreCase))
        {
            return "https://api.githubcopilot.com";
        }
        if (!string.IsNullOrWhiteSpace(exchangedApiUrl))
        {
            return exchangedApiUrl.TrimEnd('/');
        }
        return options.Copilot.AccountType.ToLowerInvariant() switch
        {
            "business" => "https://api.business.githubcopilot.com",
            "enterprise" => "https://api.enterprise.githubcopilot.com",
            _ => "https://api.githubcopilot.com",
        };
    }

    // A configured upstream URL wins unless it is still the built-in default and an enterprise URL says otherwise.
    private static string Pick(string configured, string builtInDefault, string? enterprise)
    {
        var value = string.IsNullOrWhiteSpace(configured) ? builtInDefault : configured;
        if (enterprise is not null && string.Equals(value.TrimEnd('/'), builtInDefault, StringComparison.OrdinalIgnoreCase))
        {
            return enterprise;
        }
        return value.TrimEnd('/');
    }
}
