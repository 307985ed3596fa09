using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Benchmarks.Load;

/// <summary>
/// Runs a load with <c>wrk</c> (https://github.com/wg/wrk) instead of the built-in generator: a warm-up run, then a
/// measured run with <c>--latency</c>, the POST body and headers set from a generated Lua script, and its summary
/// parsed. wrk costs less CPU per request than any .NET client, so on a small machine it leaves more of the cores to
/// what is measured; it cannot time the first byte of a stream, so streams stay with the built-in generator.
/// </summary>
public static partial class WrkLoad
{
    public static string? FindExecutable()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "wrk");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <param name="onWindowStart">Called right before the measured wrk run starts.</param>
    /// <param name="onWindowEnd">Called right after it exited (and was reaped, so its CPU time is counted).</param>
    public static async Task<LoadResult> RunAsync(
        string wrk,
        LoadPlan plan,
        string path,
        IEnumerable<KeyValuePair<string, string>> headers,
        byte[] body,
        Action onWindowStart,
        Action onWindowEnd,
        CancellationToken ct)
    {
        var script = Path.Combine(Path.GetTempPath(), $"gw-bench-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, LuaScript(headers, body), ct);
        try
        {
            var url = $"http://{plan.Target}{path}";
            if (plan.Warmup > TimeSpan.Zero)
            {
                await RunWrkAsync(wrk, plan, script, url, plan.Warmup, ct);
            }

            onWindowStart();
            var output = await RunWrkAsync(wrk, plan, script, url, plan.Duration, ct);
            onWindowEnd();
            return Parse(output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Reads wrk's summary: request count and duration, error counts, the 50 % and 99 % latency lines.</summary>
    public static LoadResult Parse(string output)
    {
        var total = RequestsLine().Match(output);
        if (!total.Success)
        {
            throw new InvalidOperationException($"Unexpected wrk output:\n{output}");
        }

        var requests = long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture);
        var window = Duration(total.Groups[2].Value, total.Groups[3].Value);
        var non2xx = NonSuccessLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        long socketErrors = 0;
        if (SocketErrorsLine().Match(output) is { Success: true } socket)
        {
            for (var i = 1; i <= 4; i++)
            {
                socketErrors += long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture);
            }
        }

        return new LoadResult
        {
            Generator = "wrk",
            Requests = requests - non2xx,
            Errors = non2xx + socketErrors,
            FirstError = non2xx + socketErrors > 0 ? $"wrk: {non2xx} non-2xx responses, {socketErrors} socket errors" : null,
            Window = window,
            LatencyP50 = Percentile(output, "50"),
            LatencyP99 = Percentile(output, "99"),
        };
    }

    private static async Task<string> RunWrkAsync(string wrk, LoadPlan plan, string script, string url, TimeSpan duration, CancellationToken ct)
    {
        var info = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // One wrk thread: on two cores it already drives tens of thousands of requests per second.
        foreach (var argument in new[]
        {
            "-t1", $"-c{plan.Connections}", $"-d{WholeSeconds(duration)}s", $"--timeout={WholeSeconds(plan.RequestTimeout)}s", "--latency", "-s", script, url,
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start wrk.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(duration + plan.RequestTimeout + TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with code {process.ExitCode}: {await stderr}\n{output}");
        }

        return output;
    }

    private static string LuaScript(IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        if (text.Contains("]==]", StringComparison.Ordinal))
        {
            throw new ArgumentException("The body cannot be put in a Lua long string.", nameof(body));
        }

        var lua = new StringBuilder();
        lua.Append("wrk.method = \"POST\"\n");
        lua.Append("wrk.body = [==[").Append(text).Append("]==]\n");
        foreach (var (name, value) in headers)
        {
            lua.Append("wrk.headers[\"").Append(name).Append("\"] = [==[").Append(value).Append("]==]\n");
        }

        return lua.ToString();
    }

    private static TimeSpan? Percentile(string output, string percent)
    {
        foreach (Match line in PercentileLine().Matches(output))
        {
            if (line.Groups[1].Value == percent)
            {
                return Duration(line.Groups[2].Value, line.Groups[3].Value);
            }
        }

        return null;
    }

    private static TimeSpan Duration(string value, string unit)
    {
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => TimeSpan.FromMicroseconds(number),
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            "h" => TimeSpan.FromHours(number),
            _ => throw new FormatException($"Unknown wrk time unit '{unit}'."),
        };
    }

    private static int WholeSeconds(TimeSpan value) => Math.Max(1, (int)Math.Round(value.TotalSeconds));

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m|h)")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", RegexOptions.Multiline)]
    private static partial Regex PercentileLine();
}
