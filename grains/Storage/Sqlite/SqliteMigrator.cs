using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Grains.Storage.Sqlite;

/// <summary>
/// Creates and upgrades the standalone SQLite file (DESIGN.md §1, §4) from the scripts embedded under
/// <c>Storage/Migrations/sqlite</c>, recording each applied script in <c>schema_migrations</c>.
/// </summary>
public static class SqliteMigrator
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    /// <summary>
    /// Applies every embedded script not yet recorded, in version order, in one immediate transaction. Idempotent,
    /// and safe when several components or processes start at once: the first takes SQLite's write lock, the others
    /// wait for it (busy timeout) and then find nothing left to do. Creates the directory and the file owner-only
    /// (the file will hold encrypted secrets, DESIGN.md §1) and switches the file to WAL journalling.
    /// </summary>
    /// <exception cref="InvalidOperationException">An applied script has since been edited.</exception>
    public static Task<SqliteMigrationResult> MigrateAsync(
        string databasePath, ILogger? logger, CancellationToken cancellationToken) =>
        MigrateAsync(databasePath, SqliteMigrationScript.LoadEmbedded(), logger, cancellationToken);

    internal static async Task<SqliteMigrationResult> MigrateAsync(
        string databasePath,
        IReadOnlyList<SqliteMigrationScript> scripts,
        ILogger? logger,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        logger ??= NullLogger.Instance;
        var fullPath = Path.GetFullPath(databasePath);
        CreateOwnerOnlyFile(fullPath);

        await using var connection = await SqliteDatabase.OpenAsync(
            SqliteDatabase.CreateConnectionString(fullPath), cancellationToken);
        await EnableWalAsync(connection, cancellationToken);

        // BEGIN IMMEDIATE takes the write lock before reading what is applied, so two migrators cannot both decide
        // that a script is missing.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL,
                checksum   TEXT    NOT NULL
            );
            """, cancellationToken);

        var recorded = await ReadRecordedAsync(connection, transaction, cancellationToken);
        var applied = new List<string>();
        var alreadyApplied = new List<string>();
        foreach (var script in scripts)
        {
            if (recorded.Remove(script.Version, out var previous))
            {
                if (!string.Equals(previous.Checksum, script.Checksum, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"SQLite migration {script.Name} was changed after it was applied to {fullPath} " +
                        $"(recorded checksum {previous.Checksum}, now {script.Checksum}); add a new migration instead.");
                }

                alreadyApplied.Add(script.Name);
                continue;
            }

            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await RecordAsync(connection, transaction, script, cancellationToken);
            applied.Add(script.Name);
            logger.SqliteMigrationApplied(script.Name, fullPath);
        }

        foreach (var (version, unknown) in recorded)
        {
            // A newer build migrated this file and an older one is starting on it: keep going, the newer tables
            // are a superset, but say so.
            logger.SqliteMigrationUnknown(version, unknown.Name, fullPath);
        }

        await transaction.CommitAsync(cancellationToken);
        if (applied.Count == 0)
        {
            logger.SqliteSchemaUpToDate(fullPath, alreadyApplied.Count);
        }

        return new SqliteMigrationResult(applied, alreadyApplied);
    }

    /// <summary>
    /// Creates the directory (owner-only when new) and an empty database file with mode 600 so the file is never
    /// readable by others, not even between creation and a later chmod. An existing file is tightened to 600 along
    /// with the WAL and shared-memory files SQLite keeps beside it.
    /// </summary>
    private static void CreateOwnerOnlyFile(string fullPath)
    {
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnlyDirectory);
            }
        }

        if (!File.Exists(fullPath))
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (new FileStream(fullPath, options))
            {
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var path in (ReadOnlySpan<string>)[fullPath, fullPath + "-wal", fullPath + "-shm"])
        {
            if (File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerOnlyFile) != 0)
            {
                File.SetUnixFileMode(path, OwnerOnlyFile);
            }
        }
    }

    /// <summary>
    /// WAL lets grain reads proceed while another connection writes, and the mode is stored in the file, so setting
    /// it once here covers every later connection.
    /// </summary>
    private static async Task EnableWalAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite refused WAL journalling (journal_mode is '{mode}').");
        }
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadRecordedAsync(
        SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, name, checksum FROM schema_migrations;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorded = new Dictionary<int, (string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return recorded;
    }

    private static async Task RecordAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        SqliteMigrationScript script,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO schema_migrations (version, name, applied_at, checksum)
            VALUES ($version, $name, $applied_at, $checksum);
            """;
        command.Parameters.AddWithValue("$version", script.Version);
        command.Parameters.AddWithValue("$name", script.Name);
        command.Parameters.AddWithValue("$applied_at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$checksum", script.Checksum);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
