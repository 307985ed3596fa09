namespace Gateway.Benchmarks.Load;

/// <summary>What one load run measured inside its window (warm-up excluded).</summary>
public sealed record LoadResult
{
    /// <summary>Which load generator ran: <c>built-in</c> or <c>wrk</c>.</summary>
    public required string Generator { get; init; }

    /// <summary>Successful responses completed inside the window.</summary>
    public required long Requests { get; init; }

    public required long Errors { get; init; }

    /// <summary>The first error seen (status and body, or the exception), for the report.</summary>
    public string? FirstError { get; init; }

    public required TimeSpan Window { get; init; }

    /// <summary>Send to last body byte, median and 99th percentile.</summary>
    public required TimeSpan? LatencyP50 { get; init; }

    public required TimeSpan? LatencyP99 { get; init; }

    /// <summary>Send to first body byte (the built-in generator only; wrk does not report it).</summary>
    public TimeSpan? FirstByteP50 { get; init; }

    public TimeSpan? FirstByteP99 { get; init; }

    /// <summary>Server-sent events received (the built-in generator counts blank-line event ends).</summary>
    public long? Events { get; init; }

    public double RequestsPerSecond => Window > TimeSpan.Zero ? Requests / Window.TotalSeconds : 0;

    public double? EventsPerRequest => Events is { } events && Requests > 0 ? (double)events / Requests : null;
}
