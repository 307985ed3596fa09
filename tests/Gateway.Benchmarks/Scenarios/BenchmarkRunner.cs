using System.Net;
using System.Text.Json;
using Gateway.Benchmarks.Cli;
using Gateway.Benchmarks.Load;
using Gateway.Benchmarks.Measurement;
using Gateway.Benchmarks.Processes;
using Gateway.Benchmarks.Reporting;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Benchmarks.Scenarios;

/// <summary>
/// A whole benchmark run: 1 start the fake upstream and the gateway, each in its own process; 2 per scenario, check
/// both paths answer correctly, then load the fake directly and then through the gateway with the same body,
/// connections and duration, sampling per-process CPU and memory at the window's edges; 3 print the report.
/// Everything is bounded: a run that overstays its budget is cancelled and the processes are stopped.
/// </summary>
public sealed class BenchmarkRunner(BenchOptions options, TextWriter output, TextWriter progress)
{
    private static readonly TimeSpan PauseBetweenRuns = TimeSpan.FromMilliseconds(500);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!ProcStats.IsSupported)
        {
            await progress.WriteLineAsync("The benchmark reads /proc and runs on Linux only.");
            return 2;
        }

        var gatewayDll = Path.GetFullPath(options.GatewayDll ?? Path.Combine(AppContext.BaseDirectory, "Gateway.Api.dll"));
        if (!File.Exists(gatewayDll))
        {
            await progress.WriteLineAsync($"Gateway build not found: {gatewayDll} (build api in Release or pass --gateway-dll).");
            return 2;
        }

        string? wrk = null;
        if (options.UseWrk && (wrk = WrkLoad.FindExecutable()) is null)
        {
            await progress.WriteLineAsync("--wrk given but wrk is not on PATH (apt-get install -y wrk, or run deploy/bench.sh).");
            return 2;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(Budget());
        var context = new RunContext(options, Environment.ProcessorCount, ProcStats.LoadAverage(), DateTimeOffset.Now, gatewayDll);
        var dataDir = Directory.CreateTempSubdirectory("gw-bench-");
        try
        {
            await progress.WriteLineAsync($"bench: starting the fake upstream ({options.ContentChunks} chunks per stream)");
            var (fake, fakeAddress) = await ProcessLauncher.StartFakeAsync(options.ContentChunks);
            await using (fake)
            {
                var copilotToken = await ExchangeCopilotTokenAsync(fakeAddress, budget.Token);
                var gatewayPort = ProcessLauncher.FreePort();
                await progress.WriteLineAsync($"bench: starting the gateway ({gatewayDll}) on port {gatewayPort}");
                await using var gateway = await ProcessLauncher.StartGatewayAsync(gatewayDll, gatewayPort, fakeAddress, dataDir.FullName, options.GatewayArgs, options.GatewayEnvironment);
                var fakeEndPoint = IPEndPoint.Parse(new Uri(fakeAddress).Authority);
                var gatewayEndPoint = new IPEndPoint(IPAddress.Loopback, gatewayPort);

                var scenarios = options.Scenarios.Select(name => ScenarioCatalog.Create(name, options.Model, copilotToken)).ToList();
                await WarmUpJitAsync(scenarios, fakeEndPoint, gatewayEndPoint, budget.Token);
                var results = new List<ScenarioResult>();
                foreach (var scenario in scenarios)
                {
                    results.Add(await RunScenarioAsync(scenario, fakeEndPoint, fake.Id, gatewayEndPoint, gateway.Id, wrk, budget.Token));
                }

                var report = new BenchmarkReport(context with { LoadAverageAfter = ProcStats.LoadAverage() }, results);
                await output.WriteAsync(report.ToText());
                if (options.MarkdownPath is { } markdownPath)
                {
                    await File.WriteAllTextAsync(markdownPath, report.ToMarkdown(), CancellationToken.None);
                    await progress.WriteLineAsync($"bench: Markdown report written to {markdownPath}");
                }
            }

            return 0;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await progress.WriteLineAsync($"bench: the run exceeded its time budget of {Budget().TotalSeconds:0} s and was stopped.");
            return 3;
        }
        finally
        {
            try
            {
                dataDir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a stopping process: the directory is in the temp folder anyway.
            }
        }
    }

    /// <summary>
    /// Loads every scenario on both paths, unmeasured, for <see cref="BenchOptions.JitWarmup"/> in all: a fresh .NET
    /// process runs tier-0 and instrumented code first and only reaches its steady state after some seconds of load,
    /// longer than the short per-window warm-up. Routes that fail (a scenario to be skipped) just count errors here.
    /// </summary>
    private async Task WarmUpJitAsync(List<Scenario> scenarios, IPEndPoint fake, IPEndPoint gateway, CancellationToken ct)
    {
        if (options.JitWarmup <= TimeSpan.Zero || scenarios.Count == 0)
        {
            return;
        }

        await progress.WriteLineAsync($"bench: JIT warm-up, {options.JitWarmup.TotalSeconds:0.#} s over {scenarios.Count * 2} loads");
        var share = options.JitWarmup / (scenarios.Count * 2);
        foreach (var scenario in scenarios)
        {
            foreach (var (target, request) in new[] { (fake, scenario.Direct), (gateway, scenario.Gateway) })
            {
                var plan = Plan(target, request) with { Warmup = TimeSpan.Zero, Duration = share };
                await LoadGenerator.RunAsync(plan, static () => { }, static () => { }, ct);
            }
        }
    }

    /// <param name="wrk">wrk's path when non-stream loads use it, else null.</param>
    private async Task<ScenarioResult> RunScenarioAsync(Scenario scenario, IPEndPoint fake, int fakePid, IPEndPoint gateway, int gatewayPid, string? wrk, CancellationToken ct)
    {
        // wrk cannot time the first byte, which is what a stream is measured by.
        wrk = scenario.Streaming ? null : wrk;
        var direct = Plan(fake, scenario.Direct);
        var viaGateway = Plan(gateway, scenario.Gateway);
        if (await CheckAsync(direct, ct) is { } directProblem)
        {
            return new ScenarioResult(scenario, null, null, "direct request failed: " + directProblem);
        }

        if (await CheckAsync(viaGateway, ct) is { } gatewayProblem)
        {
            return new ScenarioResult(scenario, null, null, $"gateway request to {scenario.Gateway.Path} failed: {gatewayProblem}");
        }

        var self = Environment.ProcessId;
        var generator = wrk is null ? "built-in generator" : "wrk";
        await progress.WriteLineAsync($"bench: {scenario.Name} direct  ({generator}, {options.Connections} connections, {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s)");
        var directResult = await MeasureAsync(direct, scenario.Direct, wrk, new Dictionary<string, int> { [ProcessNames.Fake] = fakePid, [ProcessNames.LoadGenerator] = self }, ct);
        await progress.WriteLineAsync($"bench: {scenario.Name} direct  {directResult.Load.RequestsPerSecond:N0} req/s, {directResult.Load.Errors} errors");
        await Task.Delay(PauseBetweenRuns, ct);

        await progress.WriteLineAsync($"bench: {scenario.Name} gateway ({generator}, {options.Connections} connections, {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s)");
        var gatewayResult = await MeasureAsync(viaGateway, scenario.Gateway, wrk, new Dictionary<string, int>
        {
            [ProcessNames.Gateway] = gatewayPid,
            [ProcessNames.Fake] = fakePid,
            [ProcessNames.LoadGenerator] = self,
        }, ct);
        await progress.WriteLineAsync($"bench: {scenario.Name} gateway {gatewayResult.Load.RequestsPerSecond:N0} req/s, {gatewayResult.Load.Errors} errors");
        await Task.Delay(PauseBetweenRuns, ct);
        if (options.SingleDuration <= TimeSpan.Zero)
        {
            return new ScenarioResult(scenario, directResult, gatewayResult, null);
        }

        // One connection: no request waits for another, so latency and time to first byte are the paths' own.
        await progress.WriteLineAsync($"bench: {scenario.Name} direct and gateway on 1 connection ({options.SingleDuration.TotalSeconds:0.#} s each)");
        var single = TimeSpan.FromSeconds(1);
        var directSingle = await MeasureAsync(
            direct with { Connections = 1, Warmup = single, Duration = options.SingleDuration }, scenario.Direct, null,
            new Dictionary<string, int> { [ProcessNames.Fake] = fakePid, [ProcessNames.LoadGenerator] = self }, ct);
        var gatewaySingle = await MeasureAsync(
            viaGateway with { Connections = 1, Warmup = single, Duration = options.SingleDuration }, scenario.Gateway, null,
            new Dictionary<string, int> { [ProcessNames.Gateway] = gatewayPid, [ProcessNames.Fake] = fakePid, [ProcessNames.LoadGenerator] = self }, ct);
        return new ScenarioResult(scenario, directResult, gatewayResult, null) { DirectSingle = directSingle, GatewaySingle = gatewaySingle };
    }

    private static async Task<PathResult> MeasureAsync(LoadPlan plan, ScenarioRequest request, string? wrk, Dictionary<string, int> processes, CancellationToken ct)
    {
        var probe = new WindowProbe(processes);
        var load = wrk is null
            ? await LoadGenerator.RunAsync(plan, probe.Start, probe.Stop, ct)
            : await WrkLoad.RunAsync(wrk, plan, request.Path, request.Headers, request.Body, probe.Start, probe.Stop, ct);
        return new PathResult(load, probe.Sample!);
    }

    /// <summary>One request on its own: null when it succeeded, else what went wrong (a route not wired yet, a bad set-up).</summary>
    private static async Task<string?> CheckAsync(LoadPlan plan, CancellationToken ct)
    {
        try
        {
            var (result, endMarkerSeen) = await LoadGenerator.ProbeAsync(plan, ct);
            if (result.Status != 200)
            {
                return $"HTTP {result.Status} {result.CapturedBody}";
            }

            return endMarkerSeen ? null : $"the stream did not end with {System.Text.Encoding.UTF8.GetString(plan.EndMarker!)}: {result.CapturedBody}";
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return ex.Message;
        }
    }

    private LoadPlan Plan(IPEndPoint target, ScenarioRequest request) => new()
    {
        Target = target,
        Request = RawHttpConnection.EncodeRequest("POST", target, request.Path, request.Headers, request.Body),
        EndMarker = request.EndMarker,
        Connections = options.Connections,
        Warmup = options.Warmup,
        Duration = options.Duration,
        RequestTimeout = options.RequestTimeout,
    };

    /// <summary>The Copilot token direct requests present: exchanged from the fake's default GitHub token (SPEC §2.3).</summary>
    private static async Task<string> ExchangeCopilotTokenAsync(string fakeAddress, CancellationToken ct)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, fakeAddress + "/copilot_internal/v2/token");
        request.Headers.TryAddWithoutValidation("Authorization", "token " + FakeUpstreamState.DefaultGitHubToken);
        using var response = await client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The fake refused the token exchange: HTTP {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("token").GetString()
            ?? throw new InvalidOperationException("The fake's token exchange answer has no token.");
    }

    /// <summary>Generous but finite: every window, warm-up and drain, plus start-up and stop.</summary>
    private TimeSpan Budget() =>
        TimeSpan.FromMinutes(3) + options.JitWarmup + options.Scenarios.Count * 2 * (options.Warmup + options.Duration + options.SingleDuration + TimeSpan.FromSeconds(1)
            + 3 * options.RequestTimeout + PauseBetweenRuns);
}
