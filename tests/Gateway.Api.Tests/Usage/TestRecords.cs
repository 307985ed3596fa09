using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Usage;

/// <summary>Usage records for tests, with millisecond timestamps so they read back unchanged from either store.</summary>
internal static class TestRecords
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static UsageRecord Create(
        string tenant = "t1",
        string model = "gpt-5-mini",
        DateTimeOffset? at = null,
        long input = 10,
        long output = 5,
        long cacheRead = 0,
        long cacheWrite = 0,
        string? key = "key-1",
        string account = "octocat",
        string? provider = null,
        int status = 200,
        string? currency = null,
        long costNanos = 0) => new()
    {
        Id = Guid.NewGuid(),
        CreatedAt = at ?? Start,
        TraceId = "trace-" + Guid.NewGuid().ToString("N")[..8],
        SessionId = "",
        UserId = "",
        TenantId = tenant,
        KeyId = key,
        Account = account,
        Source = provider is null ? "copilot" : "provider",
        Endpoint = "messages",
        ProviderName = provider,
        Model = model,
        Status = status,
        Initiator = "user",
        LatencyMs = 120,
        TtftMs = 40,
        InputTokens = input,
        OutputTokens = output,
        CacheReadInputTokens = cacheRead,
        CacheCreationInputTokens = cacheWrite,
        TotalTokens = input + output + cacheRead + cacheWrite,
        CostCurrency = currency,
        CostNanos = costNanos,
    };

    public static UsageSums Sums(params UsageRecord[] records)
    {
        var sums = UsageSums.Zero;
        foreach (var r in records)
        {
            sums += new UsageSums(1, r.InputTokens, r.OutputTokens, r.CacheReadInputTokens, r.CacheCreationInputTokens, r.TotalTokens, r.Cost);
        }
        return sums;
    }
}
