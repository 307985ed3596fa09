namespace Gateway.Grains.Options;

/// <summary>
/// The <c>Gateway</c> configuration section (SPEC §18). Property names bind case-insensitively to the camelCase
/// field names of the spec (<c>Gateway__upstreams__githubApiUrl</c>, <c>config.json</c> <c>"upstreams"</c>, ...).
/// Shared by the API front end and the silo so that both read one set of settings.
/// </summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary><c>standalone</c> (one process, SQLite) or <c>cluster</c> (Postgres, separate silos).</summary>
    public string Mode { get; set; } = "standalone";

    /// <summary>Where standalone keeps its SQLite file, key file and config.json.</summary>
    public string? DataDir { get; set; }

    /// <summary>Listen address; <c>127.0.0.1</c> in standalone and <c>0.0.0.0</c> in cluster when unset.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 4141;

    public AuthOptions Auth { get; set; } = new();

    public UpstreamOptions Upstreams { get; set; } = new();

    public CopilotOptions Copilot { get; set; } = new();

    /// <summary>A GitHub token to import at start (env <c>GH_TOKEN</c> also works).</summary>
    public string? GithubToken { get; set; }

    /// <summary>Base64 of a 32-byte AES key for secrets at rest; standalone generates a key file when unset.</summary>
    public string? EncryptionKey { get; set; }

    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Third-party providers by name (SPEC §13); validated at start-up.</summary>
    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> ModelMappings { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> ModelReasoningEfforts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Prices of Copilot models by model id (SPEC §15.2), merged over the built-in price table: cost of usage records
    /// and monthly budgets. Providers carry their own per-model <c>pricing</c> (SPEC §13.4).
    /// </summary>
    public Dictionary<string, ModelPricingOptions> Pricing { get; set; } = new(StringComparer.Ordinal);

    public UpstreamTransportOptions UpstreamTransport { get; set; } = new();

    /// <summary>Gateway prompts appended to Responses <c>instructions</c> per model; merged over the built-in ones.</summary>
    public Dictionary<string, string> ExtraPrompts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Small model per serving side (<c>copilot</c>, provider names) for warmups and compaction (SPEC §3.4).</summary>
    public Dictionary<string, string> SmallModels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Legacy single small model; sets <c>smallModels.copilot</c>.</summary>
    public string? SmallModel { get; set; }

    /// <summary>Native Copilot <c>/v1/messages</c> for models that list it (SPEC §3.1 step 7).</summary>
    public bool UseMessagesApi { get; set; } = true;

    public bool CompactUseSmallModel { get; set; }

    public string? ClaudeAutoModel { get; set; }

    public ContextManagementOptions ContextManagement { get; set; } = new();

    public Dictionary<string, long> ModelResponsesApiCompactThresholds { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>/v1/responses</c>: keep the client's <c>web_search</c> tools (SPEC §11.2); false removes them.</summary>
    public bool UseResponsesApiWebSearch { get; set; } = true;

    /// <summary><c>/v1/responses</c>: send the custom <c>apply_patch</c> tool as a function tool (SPEC §11.2).</summary>
    public bool UseFunctionApplyPatch { get; set; } = true;

    public bool MessageStartInputTokensFallback { get; set; }

    /// <summary>Minimum seconds between generation requests of a tenant (standalone: of everyone), SPEC §16.2.</summary>
    public double? RateLimitSeconds { get; set; }

    /// <summary>With <see cref="RateLimitSeconds"/>: wait for the slot instead of answering 429.</summary>
    public bool RateLimitWait { get; set; }

    public double ClaudeTokenMultiplier { get; set; } = 1.15;

    /// <summary>Anthropic key for exact count_tokens (env <c>ANTHROPIC_API_KEY</c> also works).</summary>
    public string? AnthropicApiKey { get; set; }

    /// <summary>Orleans cluster identity (cluster mode); silos and API front ends must agree.</summary>
    public ClusterOptions Cluster { get; set; } = new();

    public bool Verbose { get; set; }

    /// <summary>When a failing or rate-limited provider is taken out of service for a while (DESIGN §3).</summary>
    public ProviderCircuitOptions ProviderCircuit { get; set; } = new();

    /// <summary><c>--claude-code</c>: print a <c>claude</c> command for this gateway once models are known (SPEC §1.5).</summary>
    public bool ClaudeCode { get; set; }

    /// <summary>Standalone with no account: run the device flow on the console at start (off for tests and services).</summary>
    public bool StartupDeviceFlow { get; set; } = true;

    public bool IsCluster => string.Equals(Mode, "cluster", StringComparison.OrdinalIgnoreCase);

    public string ResolveDataDir()
        => string.IsNullOrWhiteSpace(DataDir)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "gateway-cluster")
            : Path.GetFullPath(ExpandHome(DataDir));

    private static string ExpandHome(string path)
        => path.StartsWith('~') ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..] : path;
}

public sealed class AuthOptions
{
    public List<string> ApiKeys { get; set; } = [];

    public string? AdminApiKey { get; set; }
}

public sealed class UpstreamOptions
{
    public string GithubWebUrl { get; set; } = "https://github.com";

    public string GithubApiUrl { get; set; } = "https://api.github.com";

    /// <summary>When set, wins over every derived Copilot base URL (SPEC §2.1).</summary>
    public string? CopilotApiUrl { get; set; }

    public string OpenaiAuthUrl { get; set; } = "https://auth.openai.com";

    public string AnthropicApiUrl { get; set; } = "https://api.anthropic.com";

    /// <summary>Where the current VS Code version is looked up; empty disables the lookup.</summary>
    public string VscodeVersionUrl { get; set; } = "https://aur.archlinux.org/cgit/aur.git/plain/PKGBUILD?h=visual-studio-code-bin";
}

public sealed class CopilotOptions
{
    /// <summary><c>individual</c>, <c>business</c> or <c>enterprise</c>.</summary>
    public string AccountType { get; set; } = "individual";

    public string? EnterpriseUrl { get; set; }

    /// <summary><c>vscode</c> or <c>opencode</c>.</summary>
    public string OauthApp { get; set; } = "vscode";

    public string? VscodeVersion { get; set; }

    public string ChatVersion { get; set; } = "0.50.1";

    public string ApiVersion { get; set; } = "2026-06-01";

    /// <summary>Claude Code version for the messages-proxy <c>user-agent</c> when the client does not send one.</summary>
    public string ClaudeCodeVersion { get; set; } = "2.0.76";

    public string ClaudeAgentSdkVersion { get; set; } = "0.2.9";

    /// <summary>How often the model catalogue is refetched (SPEC §2.5: 30 min plus jitter).</summary>
    public TimeSpan ModelRefreshInterval { get; set; } = TimeSpan.FromMinutes(30);
}

public sealed class ContextManagementOptions
{
    /// <summary>Responses context management on the Messages path (SPEC §9, §11.2).</summary>
    public bool Messages { get; set; } = true;

    /// <summary>Responses context management on <c>/v1/responses</c>.</summary>
    public bool Responses { get; set; }
}

public sealed class UpstreamTransportOptions
{
    /// <summary>No response headers within this time → 504.</summary>
    public int HeadersTimeoutMs { get; set; } = 300_000;

    /// <summary>An idle stream for this long → error event.</summary>
    public int StreamInactivityTimeoutMs { get; set; } = 300_000;
}

public sealed class ClusterOptions
{
    public string ClusterId { get; set; } = "gateway-cluster";

    public string ServiceId { get; set; } = "gateway-cluster";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at (the pod IP in Kubernetes); loopback when unset.</summary>
    public string? AdvertisedIp { get; set; }
}
