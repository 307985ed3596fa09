using System.Globalization;
using System.Text;
using Gateway.Benchmarks.Scenarios;

namespace Gateway.Benchmarks.Reporting;

/// <summary>
/// The figures of a run in three tables (absolute results per path, gateway relative to direct, the issue's
/// targets) with the conditions they were measured under, as console text or as Markdown for the README.
/// </summary>
public sealed class BenchmarkReport(RunContext context, IReadOnlyList<ScenarioResult> results)
{
    private const double ThroughputTarget = 10_000;
    private const int ThroughputTargetConnections = 32;
    private static readonly TimeSpan ChatCpuTarget = TimeSpan.FromMicroseconds(100);
    private static readonly TimeSpan TranslatedCpuTarget = TimeSpan.FromMicroseconds(150);
    private static readonly TimeSpan FirstByteOverheadTarget = TimeSpan.FromMilliseconds(0.5);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("Gateway overhead: load on the fake upstream directly vs through the gateway\n\n");
        foreach (var line in Conditions())
        {
            text.Append(line).Append('\n');
        }

        text.Append("\nResults\n").Append(Results().ToText());
        text.Append("\nGateway relative to direct (× = gateway ÷ direct, + = gateway − direct)\n").Append(Ratios().ToText());
        if (HasSingle)
        {
            text.Append("\nOne connection (no queueing: the paths' own latency)\n").Append(Single().ToText());
        }

        text.Append("\nTargets\n").Append(Targets().ToText());
        foreach (var note in Notes())
        {
            text.Append('\n').Append(note);
        }

        text.Append('\n');
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("### Gateway overhead benchmark\n\n");
        foreach (var line in Conditions())
        {
            text.Append("- ").Append(line).Append('\n');
        }

        text.Append("\n**Results**\n\n").Append(Results().ToMarkdown());
        text.Append("\n**Gateway relative to direct** (× = gateway ÷ direct, + = gateway − direct)\n\n").Append(Ratios().ToMarkdown());
        if (HasSingle)
        {
            text.Append("\n**One connection** (no queueing: the paths' own latency)\n\n").Append(Single().ToMarkdown());
        }

        text.Append("\n**Targets**\n\n").Append(Targets().ToMarkdown());
        var notes = Notes().ToList();
        if (notes.Count > 0)
        {
            text.Append('\n');
            foreach (var note in notes)
            {
                text.Append("- ").Append(note).Append('\n');
            }
        }

        return text.ToString();
    }

    private IEnumerable<string> Conditions()
    {
        var options = context.Options;
        yield return $"{context.StartedAt:yyyy-MM-dd HH:mm zzz}; {context.Cores} cores; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; " +
            $"load average before {context.LoadAverageBefore}, after {context.LoadAverageAfter}.";
        yield return $"{options.Connections} keep-alive connections per path, {Seconds(options.Warmup)} s warm-up + {Seconds(options.Duration)} s measured " +
            $"(after {Seconds(options.JitWarmup)} s of unmeasured load on all paths for JIT tiering); " +
            $"model {options.Model}; streams of {options.ContentChunks} content chunks; loopback (127.0.0.1) only.";
        if (options.GatewayArgs.Count > 0 || options.GatewayEnvironment.Count > 0)
        {
            yield return "Gateway started with: " + string.Join(' ', options.GatewayEnvironment.Select(e => $"{e.Key}={e.Value}").Concat(options.GatewayArgs)) + ".";
        }

        yield return "Three processes: the fake upstream (`Gateway.Benchmarks fake`), the gateway (`Gateway.Api.dll start`, standalone) and the load generator. " +
            "CPU per request = utime+stime from `/proc/<pid>/stat` over the measured window ÷ requests completed in it; RSS = `VmRSS` at the window's end.";
        yield return $"Load: closed loop, each connection sends its next request when the last response has ended; \"built-in\" is a raw HTTP/1.1 client in the benchmark process " +
            "(times the first body byte: TTFB), \"wrk\" is wrk 4 with a Lua script (used for non-stream scenarios with `--wrk`). " +
            $"Either shares the {context.Cores} cores with the gateway and the fake and competes with them for CPU (its CPU per request is in the table), " +
            "so req/s and latencies are lower bounds for the gateway on its own. " +
            "\"others CPU %\" is the share of the machine that processes outside the benchmark used in the window.";
    }

    private TextTable Results()
    {
        var table = new TextTable(3, "scenario", "path", "load", "req/s", "p50 ms", "p99 ms", "TTFB p50 ms", "TTFB p99 ms", "events/req",
            "gateway CPU µs/req", "fake CPU µs/req", "loadgen CPU µs/req", "gateway RSS MB", "fake RSS MB", "others CPU %", "errors");
        foreach (var result in results)
        {
            if (result.SkipReason is not null)
            {
                table.Add(result.Scenario.Name, "skipped", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-");
                continue;
            }

            foreach (var (label, path, hasGateway) in new[] { ("direct", result.Direct!, false), ("gateway", result.Gateway!, true) })
            {
                var load = path.Load;
                var streaming = result.Scenario.Streaming;
                table.Add(
                    result.Scenario.Name,
                    label,
                    load.Generator,
                    load.RequestsPerSecond.ToString("N0", Invariant),
                    Milliseconds(load.LatencyP50),
                    Milliseconds(load.LatencyP99),
                    streaming ? Milliseconds(load.FirstByteP50) : "-",
                    streaming ? Milliseconds(load.FirstByteP99) : "-",
                    load.EventsPerRequest is { } events && streaming ? events.ToString("0.#", Invariant) : "-",
                    hasGateway ? Microseconds(path.CpuPerRequest(ProcessNames.Gateway)) : "-",
                    Microseconds(path.CpuPerRequest(ProcessNames.Fake)),
                    Microseconds(path.CpuPerRequest(ProcessNames.LoadGenerator)),
                    hasGateway ? path.ResidentMegabytes(ProcessNames.Gateway).ToString("N0", Invariant) : "-",
                    path.ResidentMegabytes(ProcessNames.Fake).ToString("N0", Invariant),
                    (path.Sample.OthersShare * 100).ToString("0", Invariant),
                    load.Errors.ToString(Invariant));
            }
        }

        return table;
    }

    private TextTable Ratios()
    {
        var table = new TextTable(1, "scenario", "req/s ×", "p50 ×", "p99 ×", "+p50 ms", "+p99 ms", "TTFB p50 ×", "+TTFB p50 ms", "+TTFB p99 ms",
            "server CPU/req ×", "gateway CPU µs/req", "RSS × (gateway ÷ fake)");
        foreach (var result in results)
        {
            if (result is not { Direct: { } direct, Gateway: { } gateway })
            {
                table.Add(result.Scenario.Name, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-");
                continue;
            }

            var streaming = result.Scenario.Streaming;
            // Server-side CPU per request: the fake alone when called directly, gateway plus fake through the gateway.
            var directCpu = direct.CpuPerRequest(ProcessNames.Fake);
            var gatewayCpu = gateway.CpuPerRequest(ProcessNames.Gateway) + gateway.CpuPerRequest(ProcessNames.Fake);
            table.Add(
                result.Scenario.Name,
                Ratio(gateway.Load.RequestsPerSecond, direct.Load.RequestsPerSecond),
                Ratio(gateway.Load.LatencyP50, direct.Load.LatencyP50),
                Ratio(gateway.Load.LatencyP99, direct.Load.LatencyP99),
                Difference(gateway.Load.LatencyP50, direct.Load.LatencyP50),
                Difference(gateway.Load.LatencyP99, direct.Load.LatencyP99),
                streaming ? Ratio(gateway.Load.FirstByteP50, direct.Load.FirstByteP50) : "-",
                streaming ? Difference(gateway.Load.FirstByteP50, direct.Load.FirstByteP50) : "-",
                streaming ? Difference(gateway.Load.FirstByteP99, direct.Load.FirstByteP99) : "-",
                Ratio(gatewayCpu.TotalMicroseconds, directCpu.TotalMicroseconds),
                Microseconds(gateway.CpuPerRequest(ProcessNames.Gateway)),
                Ratio(gateway.ResidentMegabytes(ProcessNames.Gateway), direct.ResidentMegabytes(ProcessNames.Fake)));
        }

        return table;
    }

    private bool HasSingle => results.Any(r => r.DirectSingle is not null && r.GatewaySingle is not null);

    private TextTable Single()
    {
        var table = new TextTable(1, "scenario", "direct p50 ms", "gateway p50 ms", "+p50 ms", "direct p99 ms", "gateway p99 ms", "+p99 ms",
            "direct TTFB p50 ms", "gateway TTFB p50 ms", "+TTFB p50 ms", "+TTFB p99 ms");
        foreach (var result in results)
        {
            if (result is not { DirectSingle: { Load: var direct }, GatewaySingle: { Load: var gateway } })
            {
                continue;
            }

            var streaming = result.Scenario.Streaming;
            table.Add(
                result.Scenario.Name,
                Milliseconds(direct.LatencyP50),
                Milliseconds(gateway.LatencyP50),
                Difference(gateway.LatencyP50, direct.LatencyP50),
                Milliseconds(direct.LatencyP99),
                Milliseconds(gateway.LatencyP99),
                Difference(gateway.LatencyP99, direct.LatencyP99),
                streaming ? Milliseconds(direct.FirstByteP50) : "-",
                streaming ? Milliseconds(gateway.FirstByteP50) : "-",
                streaming ? Difference(gateway.FirstByteP50, direct.FirstByteP50) : "-",
                streaming ? Difference(gateway.FirstByteP99, direct.FirstByteP99) : "-");
        }

        return table;
    }

    private TextTable Targets()
    {
        var table = new TextTable(2, "target", "scenario", "measured", "result");
        foreach (var result in results)
        {
            switch (result.Scenario.Name)
            {
                case ScenarioCatalog.Chat:
                    var connections = context.Options.Connections;
                    AddTarget(table, $"≥ {ThroughputTarget:N0} req/s through the gateway at {ThroughputTargetConnections} connections" +
                        (connections == ThroughputTargetConnections ? "" : $" (run used {connections})"),
                        result, r => r.Gateway!.Load.RequestsPerSecond.ToString("N0", Invariant) + " req/s",
                        r => r.Gateway!.Load.RequestsPerSecond >= ThroughputTarget);
                    AddCpuTarget(table, result, ChatCpuTarget);
                    break;
                case ScenarioCatalog.ChatStream:
                    AddFirstByteTarget(table, result);
                    break;
                case ScenarioCatalog.MessagesStream:
                    AddCpuTarget(table, result, TranslatedCpuTarget);
                    AddFirstByteTarget(table, result);
                    break;
            }
        }

        return table;
    }

    private static void AddCpuTarget(TextTable table, ScenarioResult result, TimeSpan target) =>
        AddTarget(table, $"gateway CPU ≤ {target.TotalMicroseconds:0} µs/request", result,
            r => Microseconds(r.Gateway!.CpuPerRequest(ProcessNames.Gateway)) + " µs",
            r => r.Gateway!.CpuPerRequest(ProcessNames.Gateway) <= target);

    /// <summary>
    /// Time-to-first-byte overhead is a latency target: judged on one connection when that was measured (under a
    /// saturating closed loop the first byte also waits for CPU behind the other connections' requests).
    /// </summary>
    private static void AddFirstByteTarget(TextTable table, ScenarioResult result)
    {
        var single = result.DirectSingle is not null && result.GatewaySingle is not null;
        AddTarget(table, $"time-to-first-byte overhead ≤ {FirstByteOverheadTarget.TotalMilliseconds:0.0} ms (p50{(single ? ", 1 connection" : "")})", result,
            r => Difference(FirstByteP50(r, gateway: true, single), FirstByteP50(r, gateway: false, single)) + " ms" +
                (single ? $" ({Difference(r.Gateway!.Load.FirstByteP50, r.Direct!.Load.FirstByteP50)} ms loaded)" : ""),
            r => FirstByteP50(r, gateway: true, single) - FirstByteP50(r, gateway: false, single) <= FirstByteOverheadTarget);
    }

    private static TimeSpan? FirstByteP50(ScenarioResult result, bool gateway, bool single) =>
        (gateway ? (single ? result.GatewaySingle : result.Gateway) : (single ? result.DirectSingle : result.Direct))!.Load.FirstByteP50;

    private static void AddTarget(TextTable table, string target, ScenarioResult result, Func<ScenarioResult, string> measured, Func<ScenarioResult, bool> met)
    {
        if (result.Direct is null || result.Gateway is null)
        {
            table.Add(target, result.Scenario.Name, "-", "not run");
            return;
        }

        table.Add(target, result.Scenario.Name, measured(result), met(result) ? "met" : "MISSED");
    }

    private IEnumerable<string> Notes()
    {
        foreach (var result in results)
        {
            if (result.SkipReason is { } reason)
            {
                yield return $"{result.Scenario.Name} skipped: {Shorten(reason)}";
                continue;
            }

            foreach (var (label, path) in new[] { ("direct", result.Direct!), ("gateway", result.Gateway!) })
            {
                if (path.Load.Errors > 0)
                {
                    yield return $"{result.Scenario.Name} {label}: {path.Load.Errors} errors, first: {Shorten(path.Load.FirstError ?? "?")}";
                }
            }
        }
    }

    private static string Shorten(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 300 ? flat : flat[..300] + "…";
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.##", Invariant);

    private static string Milliseconds(TimeSpan? value) => value is { } v ? v.TotalMilliseconds.ToString("0.000", Invariant) : "-";

    private static string Microseconds(TimeSpan value) => value.TotalMicroseconds.ToString("0.0", Invariant);

    private static string Difference(TimeSpan? gateway, TimeSpan? direct) =>
        gateway is { } g && direct is { } d ? (g - d).TotalMilliseconds.ToString("+0.000;-0.000;0.000", Invariant) : "-";

    private static string Ratio(TimeSpan? gateway, TimeSpan? direct) =>
        gateway is { } g && direct is { } d ? Ratio(g.TotalMicroseconds, d.TotalMicroseconds) : "-";

    private static string Ratio(double gateway, double direct) =>
        direct > 0 ? (gateway / direct).ToString("0.00", Invariant) + "×" : "-";
}
