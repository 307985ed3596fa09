namespace Gateway.Benchmarks.Cli;

/// <summary>How a benchmark run is set up (the command-line options of <see cref="BenchCli"/>).</summary>
public sealed record BenchOptions
{
    /// <summary>Concurrent keep-alive connections of the load generator.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>Measured window per scenario and path.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load before each window, not measured (JIT tiering, connection pools).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Unmeasured load on every scenario and path once before the first window, so both servers reach steady-state
    /// JIT code (tiered compilation and dynamic PGO recompile hot methods over the first seconds of load).
    /// </summary>
    public TimeSpan JitWarmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Measured seconds per scenario and path on a single connection (latency without queueing, where the
    /// time-to-first-byte overhead target applies); zero skips these runs.
    /// </summary>
    public TimeSpan SingleDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Content chunks per streamed answer of the fake (its <c>ContentChunks</c> knob).</summary>
    public int ContentChunks { get; init; } = 20;

    public IReadOnlyList<string> Scenarios { get; init; } = [];

    public string Model { get; init; } = "gpt-4.1";

    /// <summary>The gateway build to run (<c>Gateway.Api.dll</c>); null: the one next to the benchmark.</summary>
    public string? GatewayDll { get; init; }

    /// <summary>Extra arguments for the gateway, e.g. <c>--Gateway:key=value</c>.</summary>
    public IReadOnlyList<string> GatewayArgs { get; init; } = [];

    /// <summary>Extra environment variables for the gateway process, e.g. <c>DOTNET_gcServer=0</c> to try runtime settings.</summary>
    public IReadOnlyDictionary<string, string> GatewayEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Also write the Markdown report to this file.</summary>
    public string? MarkdownPath { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Load non-stream scenarios with wrk instead of the built-in generator.</summary>
    public bool UseWrk { get; init; }
}
