using Gateway.Api.Auth;
using Gateway.Grains.Options;

namespace Gateway.Api.Hosting;

/// <summary>Start-up validation (SPEC §0): every problem is listed at once, so one restart fixes them all.</summary>
public static class GatewayOptionsValidation
{
    public static IReadOnlyList<string> Validate(GatewayOptions options, string? postgresConnectionString)
    {
        var problems = new List<string>();
        if (!options.IsCluster && !string.Equals(options.Mode, "standalone", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Gateway:mode must be 'standalone' or 'cluster' (got '{options.Mode}').");
        }
        if (options.Port is < 0 or > 65535)
        {
            problems.Add($"Gateway:port must be between 0 and 65535 (got {options.Port}).");
        }
        CheckUrl(problems, "Gateway:upstreams:githubWebUrl", options.Upstreams.GithubWebUrl, required: true);
        CheckUrl(problems, "Gateway:upstreams:githubApiUrl", options.Upstreams.GithubApiUrl, required: true);
        CheckUrl(problems, "Gateway:upstreams:copilotApiUrl", options.Upstreams.CopilotApiUrl, required: false);
        CheckUrl(problems, "Gateway:upstreams:openaiAuthUrl", options.Upstreams.OpenaiAuthUrl, required: false);
        CheckUrl(problems, "Gateway:upstreams:anthropicApiUrl", options.Upstreams.AnthropicApiUrl, required: false);
        CheckUrl(problems, "Gateway:upstreams:vscodeVersionUrl", options.Upstreams.VscodeVersionUrl, required: false);
        if (options.Copilot.AccountType is not ("individual" or "business" or "enterprise"))
        {
            problems.Add($"Gateway:copilot:accountType must be individual, business or enterprise (got '{options.Copilot.AccountType}').");
        }
        if (options.Copilot.OauthApp is not ("vscode" or "opencode"))
        {
            problems.Add($"Gateway:copilot:oauthApp must be vscode or opencode (got '{options.Copilot.OauthApp}').");
        }
        if (options.UpstreamTransport.HeadersTimeoutMs <= 0 || options.UpstreamTransport.StreamInactivityTimeoutMs <= 0)
        {
            problems.Add("Gateway:upstreamTransport timeouts must be positive.");
        }
        problems.AddRange(Pricing.PriceCatalog.Validate(options).Select(p => $"Gateway:{p}."));
        problems.AddRange(Providers.ProviderOptionsValidation.Validate(options.Providers));
        var hasKeys = options.Auth.ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k));
        if (options.IsCluster)
        {
            if (string.IsNullOrWhiteSpace(postgresConnectionString))
            {
                problems.Add("Cluster mode needs a Postgres connection string (ConnectionStrings__Postgres).");
            }
            if (string.IsNullOrWhiteSpace(options.Auth.AdminApiKey))
            {
                problems.Add("Cluster mode needs Gateway:auth:adminApiKey.");
            }
            if (string.IsNullOrWhiteSpace(options.EncryptionKey))
            {
                problems.Add("Cluster mode needs Gateway:encryptionKey (base64 of 32 random bytes).");
            }
        }
        else if (!hasKeys && !ApiKeyAuthenticator.HostIsLoopback(options.Host))
        {
            problems.Add($"Listening on '{options.Host}' (not loopback) needs at least one key in Gateway:auth:apiKeys.");
        }
        if (!string.IsNullOrWhiteSpace(options.EncryptionKey))
        {
            try
            {
                if (Convert.FromBase64String(options.EncryptionKey.Trim()).Length != 32)
                {
                    problems.Add("Gateway:encryptionKey must decode to exactly 32 bytes.");
                }
            }
            catch (FormatException)
            {
                problems.Add("Gateway:encryptionKey is not valid base64.");
            }
        }
        return problems;
    }

    private static void CheckUrl(List<string> problems, string name, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                problems.Add($"{name} is required.");
            }
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{name} must be an absolute http(s) URL (got '{value}').");
        }
    }
}
