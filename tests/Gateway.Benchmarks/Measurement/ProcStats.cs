using System.Globalization;
using System.Runtime.InteropServices;

namespace Gateway.Benchmarks.Measurement;

/// <summary>
/// Reads CPU time and resident memory from Linux procfs (proc(5)): <c>/proc/&lt;pid&gt;/stat</c> fields 14 and 15
/// (utime, stime, in clock ticks), <c>/proc/&lt;pid&gt;/status</c> <c>VmRSS</c>, and the machine-wide counters of
/// <c>/proc/stat</c>. Each process of the benchmark is measured on its own this way, from outside it.
/// </summary>
public static partial class ProcStats
{
    private const int ScClkTck = 2;

    /// <summary>Clock ticks per second (<c>sysconf(_SC_CLK_TCK)</c>, 100 on every common Linux build).</summary>
    public static long TicksPerSecond { get; } = ReadTicksPerSecond();

    public static bool IsSupported => OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>
    /// User plus system CPU time of <paramref name="pid"/> so far; with <paramref name="withReapedChildren"/> also that
    /// of its children that exited and were waited for (cutime, cstime: how a finished <c>wrk</c> run is counted).
    /// </summary>
    public static TimeSpan CpuTime(int pid, bool withReapedChildren = false)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Field 2 (comm) is in parentheses and may contain spaces: count fields from the last ')'.
        var rest = stat.AsSpan(stat.LastIndexOf(')') + 2);
        Span<Range> fields = stackalloc Range[16];
        var count = rest.Split(fields, ' ');
        if (count < 16)
        {
            throw new InvalidOperationException($"Unexpected /proc/{pid}/stat format.");
        }

        // After the comm field, state is field 3; utime (14), stime (15), cutime (16) and cstime (17) follow from the 12th on.
        var utime = long.Parse(rest[fields[11]], CultureInfo.InvariantCulture);
        var stime = long.Parse(rest[fields[12]], CultureInfo.InvariantCulture);
        var children = withReapedChildren
            ? long.Parse(rest[fields[13]], CultureInfo.InvariantCulture) + long.Parse(rest[fields[14]], CultureInfo.InvariantCulture)
            : 0;
        return TicksToTime(utime + stime + children);
    }

    /// <summary>Resident set size of <paramref name="pid"/> in bytes (<c>VmRSS</c>), or 0 when the process is gone.</summary>
    public static long ResidentBytes(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line.AsSpan(6).Trim();
                kb = kb[..kb.IndexOf(' ')];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Busy and total CPU time of the whole machine, summed over cores (first line of <c>/proc/stat</c>).</summary>
    public static (TimeSpan Busy, TimeSpan Total) MachineCpu()
    {
        using var reader = new StreamReader("/proc/stat");
        var line = reader.ReadLine() ?? throw new InvalidOperationException("/proc/stat is empty.");
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long total = 0;
        long idle = 0;
        // user nice system idle iowait irq softirq steal; guest time is already counted in user.
        for (var i = 1; i < Math.Min(parts.Length, 9); i++)
        {
            var value = long.Parse(parts[i], CultureInfo.InvariantCulture);
            total += value;
            if (i is 4 or 5)
            {
                idle += value;
            }
        }

        return (TicksToTime(total - idle), TicksToTime(total));
    }

    /// <summary>The 1-minute load average from <c>/proc/loadavg</c>.</summary>
    public static string LoadAverage()
    {
        var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : "";
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : "n/a";
    }

    private static TimeSpan TicksToTime(long ticks) => TimeSpan.FromTicks(ticks * TimeSpan.TicksPerSecond / TicksPerSecond);

    private static long ReadTicksPerSecond()
    {
        try
        {
            var value = SysConf(ScClkTck);
            return value > 0 ? value : 100;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial nint SysConf(int name);
}
