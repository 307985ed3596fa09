namespace Gateway.Api.Usage;

/// <summary>
/// The <c>Gateway:usage</c> configuration section: query defaults (SPEC §15.3, §18) and the durable write path of
/// usage records (DESIGN §2 step 6).
/// </summary>
public sealed class UsageOptions
{
    public const string SectionName = "Gateway:usage";

    /// <summary>IANA zone for calendar periods; unset means the local zone (standalone) or UTC (cluster).</summary>
    public string? TimeZone { get; set; }

    /// <summary>Records held in memory before new ones spill to the journal.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Most records written in one batch (one COPY or one SQLite transaction).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long the writer waits for a batch to fill once its first record arrived.</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>First pause after a failed batch; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the writer looks for spilled records to replay while the queue is idle.</summary>
    public TimeSpan JournalReplayInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where the spill journal lives. Standalone defaults to the data dir; cluster to a folder under the temp dir
    /// (mount a volume there to survive pod restarts).
    /// </summary>
    public string? JournalDirectory { get; set; }
}
