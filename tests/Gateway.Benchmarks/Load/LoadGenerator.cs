using System.Diagnostics;
using Gateway.Benchmarks.Measurement;

namespace Gateway.Benchmarks.Load;

/// <summary>
/// A closed-loop load generator: each of N keep-alive connections sends a request, reads the whole response, and
/// sends the next, for a warm-up and then a measured window of fixed length. Only responses that complete inside
/// the window count, so the request rate is completions per second of window, and per-process CPU sampled at the
/// window's edges divides by the same count. Bounded: after the window, in-flight requests get
/// <see cref="LoadPlan.RequestTimeout"/> to finish before their sockets are closed.
/// </summary>
public static class LoadGenerator
{
    private const int Warmup = 0;
    private const int Measuring = 1;
    private const int Stopped = 2;

    /// <param name="onWindowStart">Called right as the measured window opens (sample CPU counters here).</param>
    /// <param name="onWindowEnd">Called right as it closes.</param>
    public static async Task<LoadResult> RunAsync(LoadPlan plan, Action onWindowStart, Action onWindowEnd, CancellationToken ct)
    {
        var phase = new PhaseFlag();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = new Worker[plan.Connections];
        var tasks = new Task[plan.Connections];
        for (var i = 0; i < workers.Length; i++)
        {
            var worker = workers[i] = new Worker(plan, phase);
            tasks[i] = Task.Run(() => worker.RunAsync(abort.Token), CancellationToken.None);
        }

        await Task.Delay(plan.Warmup, ct);
        onWindowStart();
        var windowStart = Stopwatch.GetTimestamp();
        phase.Value = Measuring;
        await Task.Delay(plan.Duration, ct);
        phase.Value = Stopped;
        var windowEnd = Stopwatch.GetTimestamp();
        onWindowEnd();

        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(plan.RequestTimeout, ct)) != all)
        {
            await abort.CancelAsync();
            foreach (var worker in workers)
            {
                worker.Abort();
            }
        }

        // Workers end on their own once stopped, or quietly when cut after the window (nothing of it is counted).
        await all;

        var latency = new LatencyHistogram();
        var firstByte = new LatencyHistogram();
        long requests = 0, errors = 0, events = 0;
        string? firstError = null;
        foreach (var worker in workers)
        {
            latency.Add(worker.Latency);
            firstByte.Add(worker.FirstByte);
            requests += worker.Requests;
            errors += worker.Errors;
            events += worker.Events;
            firstError ??= worker.FirstError;
        }

        return new LoadResult
        {
            Generator = "built-in",
            Requests = requests,
            Errors = errors,
            FirstError = firstError,
            Window = Stopwatch.GetElapsedTime(windowStart, windowEnd),
            LatencyP50 = latency.Percentile(0.50),
            LatencyP99 = latency.Percentile(0.99),
            FirstByteP50 = firstByte.Percentile(0.50),
            FirstByteP99 = firstByte.Percentile(0.99),
            Events = events,
        };
    }

    /// <summary>Sends one request on a fresh connection and returns the response (a set-up check before a run).</summary>
    public static async Task<(ExchangeResult Result, bool EndMarkerSeen)> ProbeAsync(LoadPlan plan, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(plan.RequestTimeout);
        using var connection = await RawHttpConnection.ConnectAsync(plan.Target, timeout.Token);
        var result = await connection.ExchangeAsync(plan.Request, captureBody: true, timeout.Token);
        return (result, plan.EndMarker is null || connection.TailContains(plan.EndMarker));
    }

    private sealed class PhaseFlag
    {
        private volatile int _value;

        public int Value
        {
            get => _value;
            set => _value = value;
        }
    }

    /// <summary>One connection's loop and its own counters (merged after the run, so never shared).</summary>
    private sealed class Worker(LoadPlan plan, PhaseFlag phase)
    {
        private RawHttpConnection? _connection;

        public LatencyHistogram Latency { get; } = new();
        public LatencyHistogram FirstByte { get; } = new();
        public long Requests { get; private set; }
        public long Errors { get; private set; }
        public long Events { get; private set; }
        public string? FirstError { get; private set; }

        public async Task RunAsync(CancellationToken ct)
        {
            try
            {
                while (phase.Value != Stopped)
                {
                    try
                    {
                        _connection ??= await RawHttpConnection.ConnectAsync(plan.Target, ct);
                        var result = await _connection.ExchangeAsync(plan.Request, captureBody: false, ct);
                        var ok = result.Status == 200 && (plan.EndMarker is null || _connection.TailContains(plan.EndMarker));
                        if (phase.Value == Measuring)
                        {
                            Count(result, ok);
                        }

                        if (!result.KeepAlive)
                        {
                            Reconnect();
                        }
                    }
                    catch (Exception) when (ct.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
                    {
                        if (phase.Value == Measuring)
                        {
                            Errors++;
                            FirstError ??= ex.Message;
                        }

                        Reconnect();
                        // A failing target must not turn the loop into a busy spin of reconnects.
                        await Task.Delay(10, CancellationToken.None);
                    }
                }
            }
            finally
            {
                _connection?.Dispose();
            }
        }

        public void Abort() => _connection?.Dispose();

        private void Count(ExchangeResult result, bool ok)
        {
            if (!ok)
            {
                Errors++;
                FirstError ??= result.Status == 200
                    ? "the response body did not end with the expected end marker"
                    : $"HTTP {result.Status} {result.CapturedBody}";
                return;
            }

            Requests++;
            Latency.Record(ToNanoseconds(result.FinishedAt - result.StartedAt));
            FirstByte.Record(ToNanoseconds(result.FirstByteAt - result.StartedAt));
            Events += result.Events;
        }

        private void Reconnect()
        {
            _connection?.Dispose();
            _connection = null;
        }

        private static long ToNanoseconds(long stopwatchTicks) => (long)(stopwatchTicks * (1_000_000_000.0 / Stopwatch.Frequency));
    }
}
