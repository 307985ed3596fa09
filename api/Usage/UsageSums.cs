namespace Gateway.Api.Usage;

/// <summary>The sums every usage query reports (SPEC §15.3): requests, the five token sums and the cost.</summary>
public readonly record struct UsageSums(
    long Requests,
    long InputTokens,
    long OutputTokens,
    long CacheReadInputTokens,
    long CacheCreationInputTokens,
    long TotalTokens,
    UsageCost Cost = default)
{
    public static UsageSums Zero => default;

    public static UsageSums operator +(UsageSums left, UsageSums right) => new(
        left.Requests + right.Requests,
        left.InputTokens + right.InputTokens,
        left.OutputTokens + right.OutputTokens,
        left.CacheReadInputTokens + right.CacheReadInputTokens,
        left.CacheCreationInputTokens + right.CacheCreationInputTokens,
        left.TotalTokens + right.TotalTokens,
        left.Cost + right.Cost);
}

/// <summary>One row of the per-model table of <c>GET /v1/usage</c>.</summary>
public sealed record UsageModelRow(string Model, string? ProviderName, UsageSums Sums);

/// <summary>One trend bucket of <c>GET /v1/usage</c>: <c>[Start, next bucket's start)</c>.</summary>
public sealed record UsageSeriesPoint(DateTimeOffset Start, UsageSums Sums);

/// <summary>One page of a tenant's records, newest first, with the count over the whole range.</summary>
public sealed record UsageEventsPage(IReadOnlyList<UsageRecord> Records, long Total);

/// <summary>One row of <c>GET /admin/usage</c>: the values of the grouped dimensions and their sums.</summary>
public sealed record UsageGroupRow(IReadOnlyDictionary<UsageDimension, string?> Keys, UsageSums Sums);
