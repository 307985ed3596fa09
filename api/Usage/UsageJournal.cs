using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Api.Usage;

/// <summary>
/// The local, append-only spill file for usage records that do not fit the in-memory queue or could not be written
/// before shutdown (DESIGN §2 step 6). One JSON object per line (<see cref="UsageRecordJson"/>), synced to disk in
/// batches by a timer rather than per line so that a spilling request never waits for a disk flush.
/// </summary>
/// <remarks>
/// Replay never reads the file being appended to: <see cref="Rotate"/> renames it to a segment first, and a segment
/// is deleted only after every record in it was committed (<see cref="Delete"/>). A crash mid-append leaves at most a
/// torn last line, which replay skips. One process owns a directory at a time (an exclusive lock file); a second one
/// on the same directory falls back to a private sub-directory rather than interleaving lines.
/// </remarks>
public sealed class UsageJournal : IDisposable
{
    private const string ActiveFileName = "usage-journal.jsonl";
    private const string SegmentPattern = "usage-journal-*.jsonl";
    private const string LockFileName = "usage-journal.lock";
    private const string FallbackPrefix = "usage-journal-p";
    private static readonly TimeSpan _syncInterval = TimeSpan.FromMilliseconds(200);
    private static readonly byte[] _newLine = "\n"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    // Never disposed: it owns no unmanaged resources and late appends after Dispose still use it.
    private readonly Utf8JsonWriter _json;
    private readonly Timer _syncTimer;
    private readonly FileStream _lock;
    private readonly ILogger _logger;
    private FileStream? _active;
    private bool _dirty;
    private long _segmentCounter;
    private long _pending;
    private bool _disposed;
    private readonly bool _isFallback;

    public UsageJournal(string directory, ILogger<UsageJournal>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        (DirectoryPath, _lock, _isFallback) = Claim(directory, _logger);
        _json = new Utf8JsonWriter(_buffer);
        if (!_isFallback)
        {
            AdoptOrphans();
        }
        _pending = Directory.EnumerateFiles(DirectoryPath, SegmentPattern).Any() || File.Exists(ActivePath) ? 1 : 0;
        _syncTimer = new Timer(static state => ((UsageJournal)state!).Sync(), this, _syncInterval, _syncInterval);
    }

    /// <summary>The directory this process journals into (the configured one, or a private fallback inside it).</summary>
    public string DirectoryPath { get; }

    /// <summary>True when records may be waiting in the journal (appended since the last full replay, or found at start).</summary>
    public bool HasPending => Interlocked.Read(ref _pending) > 0;

    private string ActivePath => Path.Combine(DirectoryPath, ActiveFileName);

    /// <summary>Appends one record; buffered by the OS until the next <see cref="Sync"/> (at most 200 ms away).</summary>
    public void Append(UsageRecord record)
    {
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            UsageRecordJson.Write(_json, record);
            _json.Flush();
            if (_disposed)
            {
                // A request finishing after the host disposed the journal: the record is rare and must not be lost,
                // nor may the request path throw, so write it straight through.
                using var late = OpenActive();
                late.Write(_buffer.WrittenSpan);
                late.Write(_newLine);
                late.Flush(flushToDisk: true);
                return;
            }
            _active ??= OpenActive();
            _active.Write(_buffer.WrittenSpan);
            _active.Write(_newLine);
            _dirty = true;
            Interlocked.Increment(ref _pending);
        }
    }

    /// <summary>Flushes appended lines to disk (fsync).</summary>
    public void Sync()
    {
        lock (_gate)
        {
            if (_dirty && _active is not null)
            {
                _active.Flush(flushToDisk: true);
                _dirty = false;
            }
        }
    }

    /// <summary>
    /// Closes the active file (synced) as a new segment and returns every segment, oldest first. Appends after this
    /// go to a fresh active file.
    /// </summary>
    public IReadOnlyList<string> Rotate()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Interlocked.Exchange(ref _pending, 0);
            if (_active is not null)
            {
                _active.Flush(flushToDisk: true);
                _active.Dispose();
                _active = null;
                _dirty = false;
            }
            if (File.Exists(ActivePath))
            {
                var segment = Path.Combine(
                    DirectoryPath, $"usage-journal-{DateTime.UtcNow.Ticks:D19}-{++_segmentCounter:D6}.jsonl");
                File.Move(ActivePath, segment);
            }
            var segments = Directory.GetFiles(DirectoryPath, SegmentPattern);
            Array.Sort(segments, StringComparer.Ordinal);
            return segments;
        }
    }

    /// <summary>Reads a segment's records; torn or unreadable lines are skipped and counted.</summary>
    public static List<UsageRecord> ReadSegment(string path, out int malformedLines)
    {
        var records = new List<UsageRecord>();
        malformedLines = 0;
        var bytes = File.ReadAllBytes(path).AsSpan();
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            if (line.Trim((byte)' ').IsEmpty)
            {
                continue;
            }
            if (UsageRecordJson.TryRead(line, out var record))
            {
                records.Add(record!);
            }
            else
            {
                malformedLines++;
            }
        }
        return records;
    }

    /// <summary>Removes a segment once all its records are committed.</summary>
    public static void Delete(string segmentPath) => File.Delete(segmentPath);

    /// <summary>Marks the journal as holding records again (a replay that stopped part way).</summary>
    public void MarkPending() => Interlocked.Increment(ref _pending);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _syncTimer.Dispose();
            if (_active is not null)
            {
                _active.Flush(flushToDisk: true);
                _active.Dispose();
            }
            _lock.Dispose();
            if (_isFallback && !Directory.EnumerateFiles(DirectoryPath, "*.jsonl").Any())
            {
                TryDeleteDirectory(DirectoryPath);
            }
        }
    }

    private FileStream OpenActive()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(ActivePath, options);
    }

    private static (string Directory, FileStream Lock, bool IsFallback) Claim(string directory, ILogger logger)
    {
        var path = Path.GetFullPath(directory);
        Directory.CreateDirectory(path);
        if (TryLock(path) is { } owned)
        {
            return (path, owned, false);
        }
        var fallback = Path.Combine(path, FallbackPrefix + $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(fallback);
        logger.UsageJournalDirectoryBusy(path, fallback);
        return (fallback, TryLock(fallback) ?? throw new IOException($"Could not lock the usage journal in {fallback}."), true);
    }

    /// <summary>
    /// Moves the files of fallback directories whose process is gone (their lock is free) into this directory as
    /// segments, so records journalled by a second process on the same directory are replayed too.
    /// </summary>
    private void AdoptOrphans()
    {
        foreach (var orphan in Directory.EnumerateDirectories(DirectoryPath, FallbackPrefix + "*"))
        {
            using var orphanLock = TryLock(orphan);
            if (orphanLock is null)
            {
                continue;
            }
            var files = Directory.GetFiles(orphan, "*.jsonl");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                File.Move(file, Path.Combine(
                    DirectoryPath, $"usage-journal-{DateTime.UtcNow.Ticks:D19}-{++_segmentCounter:D6}.jsonl"));
            }
            orphanLock.Dispose();
            TryDeleteDirectory(orphan);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only holds an empty lock file by now; a leftover is harmless and retried at the next start.
        }
    }

    private static FileStream? TryLock(string directory)
    {
        try
        {
            return new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
