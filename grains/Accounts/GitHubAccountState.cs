namespace Gateway.Grains.Accounts;

/// <summary>Persisted state of one GitHub account. Tokens are stored encrypted (<see cref="Security.SecretProtector"/>).</summary>
[GenerateSerializer, Alias("gw.GitHubAccountState")]
public sealed class GitHubAccountState
{
    [Id(0)] public string? EncryptedGithubToken { get; set; }
    [Id(1)] public string? EncryptedCopilotToken { get; set; }
    [Id(2)] public DateTimeOffset? CopilotExpiresAt { get; set; }
    /// <summary>When the next proactive refresh is due (<c>refresh_in − 60 s</c> after the exchange, SPEC §2.3).</summary>
    [Id(3)] public DateTimeOffset? RefreshDueAt { get; set; }
    /// <summary>The <c>endpoints.api</c> of the latest exchange.</summary>
    [Id(4)] public string? ExchangedApiUrl { get; set; }
    [Id(5)] public string MachineId { get; set; } = "";
    [Id(6)] public string DeviceId { get; set; } = "";
    [Id(7)] public DateTimeOffset? CooldownUntil { get; set; }
    [Id(8)] public bool Enabled { get; set; } = true;
    [Id(9)] public DateTimeOffset CreatedAt { get; set; }
    [Id(10)] public string? Plan { get; set; }
    /// <summary>Successful token exchanges over the account's life (an observable for tests and the admin API).</summary>
    [Id(11)] public int TokenRefreshCount { get; set; }
}
