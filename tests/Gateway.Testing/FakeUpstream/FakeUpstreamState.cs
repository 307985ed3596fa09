using System.Collections.Concurrent;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// The knobs and bookkeeping of a <see cref="FakeUpstreamServer"/>. Tests change them between requests; every member
/// is safe to use while requests are in flight.
/// </summary>
public sealed class FakeUpstreamState
{
    /// <summary>A GitHub token registered from the start, belonging to <see cref="DefaultLogin"/>.</summary>
    public const string DefaultGitHubToken = "gho_fake_default";

    public const string DefaultLogin = "octocat";

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _loginsByGitHubToken = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<DeviceFlowOutcome> _deviceFlowScript = new();
    private readonly ConcurrentDictionary<string, int> _pollsByDeviceCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _exchangesByGitHubToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedCopilotToken> _copilotTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _providerApiKeys = new(StringComparer.Ordinal);
    private readonly Lock _exchangeFailureGate = new();
    private int _exchangeFailuresLeft;
    private int _exchangeFailureStatus;
    private int _deviceCodes;
    private int _accessTokenPolls;
    private int _issuedGitHubTokens;
    private int _tokenExchanges;
    private long _generations;
    private volatile ModelsSnapshot _models = new(FakeModelCatalogue.Default);

    internal FakeUpstreamState(TimeProvider time)
    {
        _time = time;
        var now = time.GetUtcNow();
        QuotaResetDate = new DateOnly(now.Year, now.Month, 1).AddMonths(1);
        _loginsByGitHubToken[DefaultGitHubToken] = DefaultLogin;
    }

    // ---- GitHub device flow (SPEC §2.2) ----

    /// <summary>The <c>interval</c> of <c>/login/device/code</c>; 0 keeps tests fast.</summary>
    public int DeviceFlowInterval { get; set; }

    public int DeviceFlowExpiresIn { get; set; } = 900;

    /// <summary>The login a device-flow token belongs to unless its outcome names another.</summary>
    public string DeviceFlowLogin { get; set; } = DefaultLogin;

    /// <summary>
    /// Scripts the next answers of <c>/login/oauth/access_token</c>, in order. With the script empty, each device code
    /// gets one <c>authorization_pending</c>, then a new <c>gho_fake_&lt;n&gt;</c> token.
    /// </summary>
    public void EnqueueDeviceFlowOutcomes(params DeviceFlowOutcome[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            _deviceFlowScript.Enqueue(outcome);
        }
    }

    /// <summary>How many times <c>/login/oauth/access_token</c> was polled.</summary>
    public int AccessTokenPollCount => Volatile.Read(ref _accessTokenPolls);

    /// <summary>How many device codes <c>/login/device/code</c> handed out.</summary>
    public int DeviceCodeCount => Volatile.Read(ref _deviceCodes);

    // ---- GitHub tokens and users ----

    /// <summary>Makes <paramref name="token"/> a valid GitHub token of <paramref name="login"/>.</summary>
    public void RegisterGitHubToken(string token, string login) => _loginsByGitHubToken[token] = login;

    /// <summary>The login a GitHub token belongs to, or null when the token is unknown (GitHub answers 401).</summary>
    public string? LoginFor(string githubToken) =>
        _loginsByGitHubToken.TryGetValue(githubToken, out var login) ? login : null;

    // ---- Copilot token exchange (SPEC §2.3) ----

    /// <summary>The <c>refresh_in</c> of token exchanges, in seconds.</summary>
    public int CopilotTokenRefreshIn { get; set; } = 1500;

    /// <summary>Lifetime of issued Copilot tokens, in seconds (<c>expires_at</c> = now + this).</summary>
    public int CopilotTokenExpiresIn { get; set; } = 1800;

    /// <summary>The next <paramref name="count"/> token exchanges fail with <paramref name="status"/> (500 or 401).</summary>
    public void FailNextTokenExchanges(int count, int status = 500)
    {
        lock (_exchangeFailureGate)
        {
            _exchangeFailuresLeft = count;
            _exchangeFailureStatus = status;
        }
    }

    /// <summary>Exchanges attempted with this GitHub token, failed ones included.</summary>
    public int TokenExchangeCount(string githubToken) =>
        _exchangesByGitHubToken.TryGetValue(githubToken, out var count) ? count : 0;

    /// <summary>Exchanges attempted with any known GitHub token, failed ones included.</summary>
    public int TotalTokenExchanges => Volatile.Read(ref _tokenExchanges);

    /// <summary>Every Copilot token issued so far, with its current expiry.</summary>
    public IReadOnlyCollection<IssuedCopilotToken> IssuedCopilotTokens => _copilotTokens.Values.ToArray();

    /// <summary>Expires every issued Copilot token now, so Copilot endpoints answer 401 until the next exchange.</summary>
    public void ExpireCopilotTokens()
    {
        var past = _time.GetUtcNow().AddSeconds(-1);
        foreach (var (token, issued) in _copilotTokens)
        {
            _copilotTokens[token] = issued with { ExpiresAt = past };
        }
    }

    /// <summary>True when <paramref name="token"/> was issued by this server and has not expired.</summary>
    public bool IsValidCopilotToken(string token) =>
        _copilotTokens.TryGetValue(token, out var issued) && issued.ExpiresAt > _time.GetUtcNow();

    // ---- Quota (SPEC §15.1) ----

    /// <summary>When set, <c>/copilot_internal/user</c> fails with this status.</summary>
    public int? QuotaFailureStatus { get; set; }

    public string CopilotPlan { get; set; } = "individual";
    public int PremiumEntitlement { get; set; } = 300;
    public double PremiumRemaining { get; set; } = 240;
    public DateOnly QuotaResetDate { get; set; }

    // ---- Copilot and provider API ----

    /// <summary>
    /// When true (default), Copilot endpoints answer 401 <c>{"error":{"message":"unauthorized"}}</c> unless the bearer
    /// token is an unexpired Copilot token issued by this server.
    /// </summary>
    public bool RequireValidCopilotToken { get; set; } = true;

    /// <summary>
    /// Registers a provider API key. With none registered, provider endpoints (<c>/v1/...</c>) accept any request that
    /// carries <c>x-api-key</c> or <c>Authorization</c>; with some, only those keys.
    /// </summary>
    public void AddProviderApiKey(string key) => _providerApiKeys[key] = true;

    public IReadOnlyCollection<string> ProviderApiKeys => _providerApiKeys.Keys.ToArray();

    /// <summary>The catalogue of <c>GET /models</c> and <c>GET /v1/models</c>; replace it to test other catalogues.</summary>
    public IReadOnlyList<FakeModel> Models
    {
        get => _models.Models;
        set => _models = new ModelsSnapshot(value);
    }

    // ---- Generation (chat, messages, responses, embeddings) ----

    /// <summary>How many content (and reasoning, and tool-argument) chunks a stream splits its text into.</summary>
    public int ContentChunks { get; set; } = 3;

    /// <summary>Pause before each SSE event after the first.</summary>
    public TimeSpan ChunkDelay { get; set; }

    public FakeUsage Usage { get; set; } = new();

    public FakeReasoning Reasoning { get; set; } = FakeReasoning.WhenRequested;

    /// <summary>Replaces <see cref="FakeReply.Text"/> as the reply text when set.</summary>
    public string? ReplyText { get; set; }

    /// <summary>The JSON arguments of tool calls (sent as a string, split across chunks when streaming).</summary>
    public string ToolArguments { get; set; } = """{"path":"README.md"}""";

    /// <summary>
    /// When set, Responses stream delta events carry their item's id with this suffix, unlike the id
    /// <c>response.output_item.added</c> announced: the Copilot quirk SPEC §11.2 makes the gateway fix.
    /// </summary>
    public string? ResponsesDeltaItemIdSuffix { get; set; }

    /// <summary>Vector length of <c>/embeddings</c> answers unless the request sets <c>dimensions</c>.</summary>
    public int EmbeddingDimensions { get; set; } = 8;

    /// <summary>The answer of <c>/v1/messages/count_tokens</c>.</summary>
    public int CountTokensInputTokens { get; set; } = 42;

    /// <summary>Generation requests (chat, messages, responses) served so far: the <c>n</c> of <see cref="FakeReply"/>.</summary>
    public long GenerationCount => Interlocked.Read(ref _generations);

    internal TimeProvider Time => _time;

    internal ModelsSnapshot ModelsJson => _models;

    internal long NextGeneration() => Interlocked.Increment(ref _generations);

    internal string NextDeviceCode() => $"dc_fake_{Interlocked.Increment(ref _deviceCodes)}";

    /// <summary>Answers one poll: the script first, else pending once per device code, then success.</summary>
    internal DeviceFlowOutcome NextDeviceFlowOutcome(string? deviceCode)
    {
        Interlocked.Increment(ref _accessTokenPolls);
        if (_deviceFlowScript.TryDequeue(out var scripted))
        {
            return scripted;
        }

        var polls = _pollsByDeviceCode.AddOrUpdate(deviceCode ?? "", 1, static (_, count) => count + 1);
        return polls == 1 ? DeviceFlowOutcome.Pending : DeviceFlowOutcome.Success();
    }

    internal (string Token, string Login) IssueGitHubToken(DeviceFlowOutcome success)
    {
        var token = success.AccessToken ?? $"gho_fake_{Interlocked.Increment(ref _issuedGitHubTokens)}";
        var login = success.Login ?? DeviceFlowLogin;
        _loginsByGitHubToken[token] = login;
        return (token, login);
    }

    /// <summary>Counts an exchange; returns the status to fail it with, or null to issue a token.</summary>
    internal int? CountTokenExchange(string githubToken)
    {
        Interlocked.Increment(ref _tokenExchanges);
        _exchangesByGitHubToken.AddOrUpdate(githubToken, 1, static (_, count) => count + 1);
        lock (_exchangeFailureGate)
        {
            if (_exchangeFailuresLeft <= 0)
            {
                return null;
            }

            _exchangeFailuresLeft--;
            return _exchangeFailureStatus;
        }
    }

    internal IssuedCopilotToken IssueCopilotToken(string githubToken, string login)
    {
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds() + CopilotTokenExpiresIn);
        var token = $"tid={Guid.NewGuid():N};exp={expiresAt.ToUnixTimeSeconds()};sku=plus_monthly_subscriber_quota;proxy-ep=proxy.individual.githubcopilot.com;8kp=1:fake";
        var issued = new IssuedCopilotToken(token, githubToken, login, expiresAt);
        _copilotTokens[token] = issued;
        return issued;
    }

    internal bool IsIssuedCopilotToken(string token) => _copilotTokens.ContainsKey(token);

    internal bool IsProviderKeyAccepted(string key) => _providerApiKeys.IsEmpty || _providerApiKeys.ContainsKey(key);
}
