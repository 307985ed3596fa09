using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Gateway.Api.Logging;

/// <summary>
/// Standalone's daily log files (SPEC §1.3): <c>&lt;dataDir&gt;/logs/&lt;area&gt;-YYYY-MM-DD.log</c> (UTC days), one line per
/// entry with the request's trace id, files older than <see cref="RetentionDays"/> days removed. Lines go through a
/// bounded channel to one writer task, so logging never waits for the disk; when the channel is full, lines are
/// dropped and counted rather than slowing requests down.
/// </summary>
[ProviderAlias("DailyFile")]
public sealed class DailyFileLoggerProvider : ILoggerProvider
{
    public const int RetentionDays = 7;

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly Func<string?> _traceId;
    private readonly Channel<(string Area, DateTimeOffset At, string Line)> _lines =
        Channel.CreateBounded<(string, DateTimeOffset, string)>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, DailyFileLogger> _loggers = new(StringComparer.Ordinal);
    private readonly Task _writer;
    private long _dropped;

    /// <param name="traceId">The current request's trace id, or null outside a request.</param>
    public DailyFileLoggerProvider(string directory, TimeProvider time, Func<string?> traceId)
    {
        _directory = directory;
        _time = time;
        _traceId = traceId;
        Directory.CreateDirectory(directory);
        _writer = Task.Run(WriteAsync);
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new DailyFileLogger(this, name, AreaOf(name)));

    /// <summary>Which file a category writes to: the gateway's own code, Orleans, HTTP hosting, or the rest.</summary>
    public static string AreaOf(string category) => category switch
    {
        _ when category.StartsWith("Gateway.", StringComparison.Ordinal) => "gateway",
        _ when category.StartsWith("Orleans", StringComparison.Ordinal) => "orleans",
        _ when category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) => "http",
        _ => "system",
    };

    /// <summary>Writes what is queued and stops (also called by the host on shutdown).</summary>
    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
    }

    internal void Enqueue(string area, LogLevel level, string category, string message, Exception? exception)
    {
        var now = _time.GetUtcNow();
        var line = new StringBuilder(128)
            .Append(now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(LevelName(level))
            .Append(" [").Append(_traceId() ?? "-").Append("] ")
            .Append(category).Append(": ").Append(message);
        if (exception is not null)
        {
            line.Append(Environment.NewLine).Append(exception);
        }
        if (!_lines.Writer.TryWrite((area, now, line.ToString())))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task WriteAsync()
    {
        var writers = new Dictionary<string, (string Day, StreamWriter Writer)>(StringComparer.Ordinal);
        string? cleanedFor = null;
        try
        {
            var reader = _lines.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var entry))
                {
                    var day = entry.At.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    if (cleanedFor != day)
                    {
                        RemoveOldFiles(entry.At);
                        cleanedFor = day;
                    }
                    if (!writers.TryGetValue(entry.Area, out var open) || open.Day != day)
                    {
                        open.Writer?.Dispose();
                        var path = Path.Combine(_directory, $"{entry.Area}-{day}.log");
                        open = (day, new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)));
                        writers[entry.Area] = open;
                    }
                    await open.Writer.WriteLineAsync(entry.Line);
                }
                foreach (var (_, open) in writers)
                {
                    await open.Writer.FlushAsync();
                }
            }
        }
        catch (IOException)
        {
            // A full or read-only disk must not take the gateway down; console logging goes on.
        }
        finally
        {
            foreach (var (_, open) in writers)
            {
                open.Writer.Dispose();
            }
        }
    }

    private void RemoveOldFiles(DateTimeOffset now)
    {
        var oldest = now.UtcDateTime.Date.AddDays(-(RetentionDays - 1));
        foreach (var file in Directory.EnumerateFiles(_directory, "*.log"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.Length > 11 && DateTime.TryParseExact(name[^10..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
                && date < oldest)
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // Still open elsewhere: the next day's clean-up takes it.
                }
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO ",
        LogLevel.Warning => "WARN ",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRIT ",
        _ => "NONE ",
    };

    private sealed class DailyFileLogger(DailyFileLoggerProvider provider, string category, string area) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Enqueue(area, logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
