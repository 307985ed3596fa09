using Gateway.Benchmarks.Measurement;

namespace Gateway.Benchmarks.Load;

/// <summary>What one load run measured inside its window (warm-up excluded).</summary>
public sealed record LoadResult
{
    public required long Requests { get; init; }

    public required long Errors { get; init; }

    /// <summary>The first error seen (status and body, or the exception), for the report.</summary>
    public string? FirstError { get; init; }

    public required TimeSpan Window { get; init; }

    /// <summary>Send to last body byte.</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>Send to first body byte.</summary>
    public required LatencyHistogram FirstByte { get; init; }

    public required long Events { get; init; }

    public required long BodyBytes { get; init; }

    public double RequestsPerSecond => Window > TimeSpan.Zero ? Requests / Window.TotalSeconds : 0;

    public double EventsPerRequest => Requests > 0 ? (double)Events / Requests : 0;
}
