namespace Gateway.Benchmarks.Measurement;

/// <summary>
/// Samples CPU time of a set of processes, and of the whole machine, at the start and end of a measured window,
/// and their resident memory at its end. The machine-wide figure shows how much CPU processes outside the benchmark
/// took in the same window (this machine is shared), which is what makes a noisy run recognisable.
/// </summary>
public sealed class WindowProbe(IReadOnlyDictionary<string, int> processes)
{
    private readonly Dictionary<string, TimeSpan> _cpuAtStart = [];
    private (TimeSpan Busy, TimeSpan Total) _machineAtStart;

    public WindowSample? Sample { get; private set; }

    public void Start()
    {
        foreach (var (name, pid) in processes)
        {
            _cpuAtStart[name] = Cpu(pid);
        }

        _machineAtStart = ProcStats.MachineCpu();
    }

    public void Stop()
    {
        var machine = ProcStats.MachineCpu();
        var cpu = new Dictionary<string, TimeSpan>();
        var rss = new Dictionary<string, long>();
        foreach (var (name, pid) in processes)
        {
            cpu[name] = Cpu(pid) - _cpuAtStart[name];
            rss[name] = ProcStats.ResidentBytes(pid);
        }

        Sample = new WindowSample(cpu, rss, machine.Busy - _machineAtStart.Busy, machine.Total - _machineAtStart.Total);
    }

    private static TimeSpan Cpu(int pid) => ProcStats.CpuTime(pid, withReapedChildren: pid == Environment.ProcessId);
}

/// <summary>CPU used per process over a window, resident memory at its end, and the machine's busy and total CPU time.</summary>
public sealed record WindowSample(
    IReadOnlyDictionary<string, TimeSpan> Cpu,
    IReadOnlyDictionary<string, long> ResidentBytes,
    TimeSpan MachineBusy,
    TimeSpan MachineTotal)
{
    /// <summary>CPU used by processes other than the sampled ones, as a share of the machine's capacity in the window.</summary>
    public double OthersShare
    {
        get
        {
            if (MachineTotal <= TimeSpan.Zero)
            {
                return 0;
            }

            var ours = Cpu.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);
            return Math.Max(0, (MachineBusy - ours).TotalSeconds / MachineTotal.TotalSeconds);
        }
    }

    public TimeSpan CpuPerRequest(string process, long requests) =>
        requests > 0 && Cpu.TryGetValue(process, out var cpu) ? cpu / requests : TimeSpan.Zero;
}
