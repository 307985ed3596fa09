namespace Gateway.Api.Usage;

/// <summary>
/// One request's usage (SPEC §15.2): every request, success or failure, yields exactly one. <see cref="Id"/> is
/// generated once on the front end, so a record written twice (a retried batch, a replayed journal) is stored once.
/// </summary>
public sealed record UsageRecord
{
    public required Guid Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string TraceId { get; init; }
    /// <summary>Root session UUID, or "".</summary>
    public string SessionId { get; init; } = "";
    /// <summary>User/device part of <c>metadata.user_id</c>, Chat <c>user</c>, or "".</summary>
    public string UserId { get; init; } = "";
    public required string TenantId { get; init; }
    public string? KeyId { get; init; }
    /// <summary>GitHub login, Codex alias or "".</summary>
    public string Account { get; init; } = "";
    /// <summary><c>copilot</c>, <c>codex</c> or <c>provider</c>.</summary>
    public string Source { get; init; } = "copilot";
    /// <summary><c>chat_completions</c>, <c>embeddings</c>, <c>messages</c>, <c>provider_messages</c>, <c>responses</c>.</summary>
    public required string Endpoint { get; init; }
    public string? ProviderName { get; init; }
    public required string Model { get; init; }
    /// <summary>HTTP status; 499 when the client disconnected.</summary>
    public required int Status { get; init; }
    public string? Initiator { get; init; }
    public required int LatencyMs { get; init; }
    public int? TtftMs { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadInputTokens { get; init; }
    public long CacheCreationInputTokens { get; init; }
    public long TotalTokens { get; init; }
    /// <summary>Currency of <see cref="CostNanos"/>; null when the model has no price (SPEC §15.2).</summary>
    public string? CostCurrency { get; init; }
    /// <summary>The request's cost in nano-units (10⁻⁹) of <see cref="CostCurrency"/>.</summary>
    public long CostNanos { get; init; }
    public UsageCost Cost => UsageCost.Of(CostCurrency, CostNanos);
}
