using Gateway.Benchmarks.Load;
using Gateway.Benchmarks.Measurement;

namespace Gateway.Benchmarks.Scenarios;

/// <summary>One measured path of a scenario: what the load generator saw and what the processes used.</summary>
public sealed record PathResult(LoadResult Load, WindowSample Sample)
{
    public TimeSpan CpuPerRequest(string process) => Sample.CpuPerRequest(process, Load.Requests);

    public double ResidentMegabytes(string process) =>
        Sample.ResidentBytes.TryGetValue(process, out var bytes) ? bytes / (1024.0 * 1024.0) : 0;
}

/// <summary>
/// A scenario's two paths under load (<see cref="Direct"/>, <see cref="Gateway"/>) and on a single connection
/// (<see cref="DirectSingle"/>, <see cref="GatewaySingle"/>: latency without queueing), or why it was skipped.
/// </summary>
public sealed record ScenarioResult(Scenario Scenario, PathResult? Direct, PathResult? Gateway, string? SkipReason)
{
    public PathResult? DirectSingle { get; init; }

    public PathResult? GatewaySingle { get; init; }
}
