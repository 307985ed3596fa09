using Gateway.Benchmarks.Cli;

namespace Gateway.Benchmarks.Reporting;

/// <summary>The conditions of a run, printed with its figures so they can be read in context.</summary>
public sealed record RunContext(BenchOptions Options, int Cores, string LoadAverageBefore, DateTimeOffset StartedAt, string GatewayDll)
{
    public string LoadAverageAfter { get; init; } = "n/a";
}
