using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Grains.GitHub;

/// <summary>
/// Calls the GitHub API (SPEC §2.2–§2.4): device flow, <c>/user</c>, the Copilot token exchange, the quota, and the
/// Copilot <c>/models</c> catalogue. Tokens passed in are never logged.
/// </summary>
public sealed class GitHubClient(IHttpClientFactory httpClientFactory, IOptions<GatewayOptions> options, EditorVersion editorVersion)
{
    public const string HttpClientName = "github";
    public const string VscodeClientId = "Iv1.b507a08c87ecfe98";
    public const string OpencodeClientId = "Ov23li8tweQw6odWQebz";

    private GatewayOptions Options => options.Value;

    private HttpClient Http => httpClientFactory.CreateClient(HttpClientName);

    public string ClientId => IsOpencode ? OpencodeClientId : VscodeClientId;

    public bool IsOpencode => string.Equals(Options.Copilot.OauthApp, "opencode", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>POST {githubWeb}/login/device/code</c>.</summary>
    public async Task<DeviceCode> StartDeviceFlowAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{GitHubEndpoints.GitHubWeb(Options)}/login/device/code")
        {
            Content = JsonContent(new Dictionary<string, string> { ["client_id"] = ClientId, ["scope"] = "read:user" }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new GitHubException($"Device code request failed with HTTP {(int)response.StatusCode}.");
        }
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        return new DeviceCode(
            root.GetProperty("device_code").GetString()!,
            root.GetProperty("user_code").GetString()!,
            root.GetProperty("verification_uri").GetString()!,
            root.TryGetProperty("expires_in", out var e) ? e.GetInt32() : 900,
            root.TryGetProperty("interval", out var i) ? i.GetInt32() : 5);
    }

    /// <summary>One poll of <c>POST {githubWeb}/login/oauth/access_token</c>.</summary>
    public async Task<DevicePoll> PollDeviceFlowAsync(string deviceCode, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{GitHubEndpoints.GitHubWeb(Options)}/login/oauth/access_token")
        {
            Content = JsonContent(new Dictionary<string, string>
            {
                ["client_id"] = ClientId,
                ["device_code"] = deviceCode,
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            // SPEC §2.2: non-2xx → log and keep polling.
            return new DevicePoll(DevicePollStatus.HttpError, null, $"HTTP {(int)response.StatusCode}");
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var root = doc.RootElement;
        if (root.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value)
        {
            return new DevicePoll(DevicePollStatus.Authorized, value, null);
        }
        var error = root.TryGetProperty("error", out var err) ? err.GetString() : null;
        return error switch
        {
            "authorization_pending" => new DevicePoll(DevicePollStatus.Pending, null, error),
            "slow_down" => new DevicePoll(DevicePollStatus.SlowDown, null, error),
            "expired_token" => new DevicePoll(DevicePollStatus.Expired, null, error),
            "access_denied" => new DevicePoll(DevicePollStatus.Denied, null, error),
            _ => new DevicePoll(DevicePollStatus.HttpError, null, error ?? "unexpected response"),
        };
    }

    /// <summary><c>GET {githubApi}/user</c> → the login.</summary>
    public async Task<string> GetLoginAsync(string githubToken, CancellationToken ct)
    {
        using var request = GitHubApiRequest(HttpMethod.Get, "/user", githubToken, "2022-11-28");
        using var response = await Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new GitHubException(response.StatusCode == HttpStatusCode.Unauthorized
                ? "GitHub rejected the token (401)."
                : $"GitHub /user failed with HTTP {(int)response.StatusCode}.");
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("login").GetString() ?? throw new GitHubException("GitHub /user returned no login.");
    }

    /// <summary><c>GET {githubApi}/copilot_internal/v2/token</c> (SPEC §2.3).</summary>
    public async Task<CopilotToken> ExchangeCopilotTokenAsync(string githubToken, CancellationToken ct)
    {
        using var request = GitHubApiRequest(HttpMethod.Get, "/copilot_internal/v2/token", githubToken, "2025-04-01");
        using var response = await Http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new GitHubException($"Copilot token exchange failed with HTTP {(int)response.StatusCode}.", (int)response.StatusCode);
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var root = doc.RootElement;
        var token = root.GetProperty("token").GetString() ?? throw new GitHubException("Copilot token exchange returned no token.");
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("expires_at").GetInt64());
        var refreshIn = root.TryGetProperty("refresh_in", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : 1500;
        string? api = null;
        if (root.TryGetProperty("endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object
            && endpoints.TryGetProperty("api", out var apiUrl))
        {
            api = apiUrl.GetString();
        }
        var plan = root.TryGetProperty("sku", out var sku) ? sku.GetString() : null;
        return new CopilotToken(token, expiresAt, TimeSpan.FromSeconds(refreshIn), api, plan);
    }

    /// <summary><c>GET {githubApi}/copilot_internal/user</c>: status and body unchanged.</summary>
    public async Task<(int Status, string Body)> GetCopilotUserAsync(string githubToken, CancellationToken ct)
    {
        using var request = GitHubApiRequest(HttpMethod.Get, "/copilot_internal/user", githubToken, "2025-04-01");
        using var response = await Http.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary><c>GET {copilot}/models</c> with the Copilot headers of SPEC §2.4 (<c>model-access</c> intent).</summary>
    public async Task<(int Status, string Body)> GetModelsAsync(CopilotHeaderContext account, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{account.BaseUrl}/models");
        CopilotHeaders.ApplyModelsHeaders(request.Headers, account, Options.Copilot, editorVersion.Current, IsOpencode);
        using var response = await Http.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private HttpRequestMessage GitHubApiRequest(HttpMethod method, string path, string githubToken, string apiVersion)
    {
        var request = new HttpRequestMessage(method, GitHubEndpoints.GitHubApi(Options) + path);
        var headers = request.Headers;
        headers.TryAddWithoutValidation("authorization", $"token {githubToken}");
        headers.TryAddWithoutValidation("accept", "application/json");
        headers.TryAddWithoutValidation("editor-version", $"vscode/{editorVersion.Current}");
        headers.TryAddWithoutValidation("editor-plugin-version", $"copilot-chat/{Options.Copilot.ChatVersion}");
        headers.TryAddWithoutValidation("user-agent", $"GitHubCopilotChat/{Options.Copilot.ChatVersion}");
        headers.TryAddWithoutValidation("x-vscode-user-agent-library-version", "electron-fetch");
        headers.TryAddWithoutValidation("x-github-api-version", apiVersion);
        return request;
    }

    private static StringContent JsonContent(Dictionary<string, string> values)
        => new(JsonSerializer.Serialize(values), Encoding.UTF8, "application/json");
}

public sealed record DeviceCode(string Code, string UserCode, string VerificationUri, int ExpiresIn, int Interval);

public enum DevicePollStatus
{
    Pending,
    SlowDown,
    Authorized,
    Expired,
    Denied,
    HttpError,
}

public sealed record DevicePoll(DevicePollStatus Status, string? AccessToken, string? Error);

public sealed record CopilotToken(string Token, DateTimeOffset ExpiresAt, TimeSpan RefreshIn, string? ApiUrl, string? Plan);

public sealed class GitHubException(string message, int? status = null) : Exception(message)
{
    public int? Status { get; } = status;
}
