using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gateway.Benchmarks.Processes;

/// <summary>
/// A process the benchmark starts (the fake upstream or the gateway) so that its CPU time and memory can be read on
/// their own. Its output is kept (the last lines only) for error messages; stopping it is graceful first (stdin
/// closed, SIGTERM), then forced, and always bounded in time.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private bool _stopped;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>, its output captured.</summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({fileName}).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits (bounded) for an output line that <paramref name="match"/> accepts and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _lines)
            {
                if (match(line))
                {
                    return line;
                }
            }

            _waiters.Add((match, found));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
        if (first == found.Task)
        {
            return await found.Task;
        }

        throw new InvalidOperationException(first == exited
            ? $"{Name} exited with code {_process.ExitCode} before it was ready.\n{RecentOutput()}"
            : $"{Name} was not ready within {timeout.TotalSeconds:0} s.\n{RecentOutput()}");
    }

    /// <summary>The last lines the process printed, for error messages.</summary>
    public string RecentOutput()
    {
        lock (_gate)
        {
            return string.Join('\n', _lines.TakeLast(40));
        }
    }

    /// <summary>Asks the process to stop (stdin closed, SIGTERM), then kills it if it is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_process.HasExited)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already closed by the child: it is on its way out.
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = Kill(_process.Id, SigTerm);
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    _waiters[i].Found.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
