using System.CommandLine;
using Gateway.Benchmarks.Fake;
using Gateway.Benchmarks.Scenarios;

namespace Gateway.Benchmarks.Cli;

/// <summary>
/// The command line: the default command runs the benchmark; <c>fake</c> runs only the fake upstream (the benchmark
/// starts itself in that mode as a separate process).
/// </summary>
public static class BenchCli
{
    private static readonly Option<int> Connections = new("--connections", "-c")
    {
        Description = "Concurrent keep-alive connections per path",
        DefaultValueFactory = _ => 32,
    };

    private static readonly Option<double> Duration = new("--duration", "-d")
    {
        Description = "Measured seconds per scenario and path",
        DefaultValueFactory = _ => 10,
    };

    private static readonly Option<double> Warmup = new("--warmup", "-w")
    {
        Description = "Warm-up seconds before each measured window",
        DefaultValueFactory = _ => 2,
    };

    private static readonly Option<double> SingleDuration = new("--single-duration")
    {
        Description = "Measured seconds per scenario and path on one connection (latency without queueing; 0 skips)",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<double> JitWarmup = new("--jit-warmup")
    {
        Description = "Unmeasured seconds of load, spread over every scenario and path, before the first window (JIT tiering and PGO settle)",
        DefaultValueFactory = _ => 30,
    };

    private static readonly Option<int> Chunks = new("--chunks")
    {
        Description = "Content chunks per streamed answer of the fake upstream",
        DefaultValueFactory = _ => 20,
    };

    private static readonly Option<string[]> ScenarioNames = new("--scenarios", "-s")
    {
        Description = $"Scenarios to run, comma- or space-separated: {string.Join(", ", ScenarioCatalog.Names)} (default: {string.Join(",", ScenarioCatalog.Defaults)})",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<bool> Messages = new("--messages")
    {
        Description = $"Add the {ScenarioCatalog.MessagesStream} scenario (Anthropic /v1/messages stream through the gateway, translated to a Chat stream upstream)",
    };

    private static readonly Option<string> Model = new("--model")
    {
        Description = "Model of the requests; it must list only /chat/completions for the translated path",
        DefaultValueFactory = _ => "gpt-4.1",
    };

    private static readonly Option<string?> GatewayDll = new("--gateway-dll")
    {
        Description = "The gateway build to run (default: Gateway.Api.dll next to this executable)",
    };

    private static readonly Option<string[]> GatewayArgs = new("--gateway-arg")
    {
        Description = "Extra argument for the gateway, e.g. --gateway-arg=--Gateway:verbose=false (repeatable)",
    };

    private static readonly Option<string[]> GatewayEnv = new("--gateway-env")
    {
        Description = "Environment variable for the gateway process as NAME=VALUE, e.g. DOTNET_gcServer=0 (repeatable)",
    };

    private static readonly Option<string?> Markdown = new("--markdown")
    {
        Description = "Also write the report as Markdown to this file",
    };

    private static readonly Option<double> RequestTimeout = new("--request-timeout")
    {
        Description = "Seconds in-flight requests may take to finish after a window",
        DefaultValueFactory = _ => 30,
    };

    private static readonly Option<bool> UseWrk = new("--wrk")
    {
        Description = "Load non-stream scenarios with wrk (must be on PATH) instead of the built-in generator; streams always use the built-in one, which times the first byte",
    };

    private static readonly Option<int> FakePort = new("--port", "-p")
    {
        Description = "Loopback port (0: a free one; the address is printed)",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Option<int> FakeChunks = new("--chunks")
    {
        Description = "Content chunks per streamed answer",
        DefaultValueFactory = _ => 20,
    };

    private static readonly Option<bool> ExitOnStdinClose = new("--exit-on-stdin-close")
    {
        Description = "Stop when standard input closes (used when the benchmark starts the fake)",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Gateway benchmark: the same load on the fake upstream directly and through the gateway, each in its own process.");
        foreach (var option in new Option[] { Connections, Duration, Warmup, SingleDuration, JitWarmup, Chunks, ScenarioNames, Messages, Model, GatewayDll, GatewayArgs, GatewayEnv, Markdown, RequestTimeout, UseWrk })
        {
            root.Options.Add(option);
        }

        root.SetAction((result, ct) => RunBenchmarkAsync(result, ct));

        var fake = new Command("fake", "Run only the fake upstream (GitHub, Copilot and provider APIs) on loopback until stopped.");
        fake.Options.Add(FakePort);
        fake.Options.Add(FakeChunks);
        fake.Options.Add(ExitOnStdinClose);
        fake.SetAction((result, ct) =>
            FakeUpstreamProcess.RunAsync(result.GetValue(FakePort), Math.Max(1, result.GetValue(FakeChunks)), result.GetValue(ExitOnStdinClose), ct));
        root.Subcommands.Add(fake);

        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunBenchmarkAsync(ParseResult result, CancellationToken ct)
    {
        var problems = Validate(result);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync("bench: " + problem);
            }

            return 2;
        }

        var scenarios = SplitNames(result.GetValue(ScenarioNames)).ToList();
        if (scenarios.Count == 0)
        {
            scenarios.AddRange(ScenarioCatalog.Defaults);
        }

        if (result.GetValue(Messages) && !scenarios.Contains(ScenarioCatalog.MessagesStream))
        {
            scenarios.Add(ScenarioCatalog.MessagesStream);
        }

        var options = new BenchOptions
        {
            Connections = result.GetValue(Connections),
            Duration = TimeSpan.FromSeconds(result.GetValue(Duration)),
            Warmup = TimeSpan.FromSeconds(result.GetValue(Warmup)),
            JitWarmup = TimeSpan.FromSeconds(result.GetValue(JitWarmup)),
            SingleDuration = TimeSpan.FromSeconds(result.GetValue(SingleDuration)),
            ContentChunks = result.GetValue(Chunks),
            Scenarios = scenarios,
            Model = result.GetValue(Model)!,
            GatewayDll = result.GetValue(GatewayDll),
            GatewayArgs = result.GetValue(GatewayArgs) ?? [],
            GatewayEnvironment = (result.GetValue(GatewayEnv) ?? []).Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal),
            MarkdownPath = result.GetValue(Markdown),
            RequestTimeout = TimeSpan.FromSeconds(result.GetValue(RequestTimeout)),
            UseWrk = result.GetValue(UseWrk),
        };
        try
        {
            return await new BenchmarkRunner(options, Console.Out, Console.Error).RunAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            // Set-up failures (a process that did not start, the fake refusing the token exchange): say what, not where.
            await Console.Error.WriteLineAsync("bench: " + ex.Message);
            return 2;
        }
    }

    private static List<string> Validate(ParseResult result)
    {
        var problems = new List<string>();
        if (result.GetValue(Connections) < 1)
        {
            problems.Add("--connections must be at least 1.");
        }

        if (result.GetValue(Duration) <= 0 || result.GetValue(Warmup) < 0 || result.GetValue(JitWarmup) < 0 || result.GetValue(SingleDuration) < 0
            || result.GetValue(RequestTimeout) <= 0)
        {
            problems.Add("--duration and --request-timeout must be positive, --warmup, --jit-warmup and --single-duration not negative.");
        }

        if (result.GetValue(Chunks) < 1)
        {
            problems.Add("--chunks must be at least 1.");
        }

        foreach (var variable in result.GetValue(GatewayEnv) ?? [])
        {
            if (variable.IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                problems.Add($"--gateway-env takes NAME=VALUE, got '{variable}'.");
            }
        }

        foreach (var name in SplitNames(result.GetValue(ScenarioNames)))
        {
            if (!ScenarioCatalog.Names.Contains(name))
            {
                problems.Add($"Unknown scenario '{name}'; known: {string.Join(", ", ScenarioCatalog.Names)}.");
            }
        }

        return problems;
    }

    private static IEnumerable<string> SplitNames(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal);
}
