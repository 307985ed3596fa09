using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Grains.Storage.Postgres;

/// <summary>
/// Applies the embedded Postgres scripts (<c>Storage/Migrations/postgres/NNNN_name.sql</c>) in version order and
/// records them in <c>schema_migrations</c> (DESIGN.md §4: at start-up or by a <c>migrate</c> command).
/// </summary>
/// <remarks>
/// Every step runs in a transaction that first takes a transaction-scoped advisory lock with a fixed key, so
/// silos, API hosts and a Helm hook starting together apply each script exactly once: the others wait, then see
/// it recorded. The lock is released by commit or rollback, so a crashed migrator cannot leave it held.
/// </remarks>
public static class PostgresMigrator
{
    /// <summary>"GWMIGRAT" in ASCII; every gateway process must use the same key.</summary>
    internal const long AdvisoryLockKey = 0x47574D4947524154;

    /// <summary>Scripts may rewrite large tables; the default 30 s command timeout is too short for that.</summary>
    private const int ScriptTimeoutSeconds = 600;

    private static readonly Lazy<IReadOnlyList<MigrationScript>> _embeddedScripts = new(MigrationScript.LoadEmbedded);

    /// <summary>Brings the database at <paramref name="connectionString"/> up to the schema this build expects.</summary>
    /// <exception cref="InvalidOperationException">An applied script was edited afterwards (its checksum changed).</exception>
    public static Task<MigrationResult> MigrateAsync(string connectionString, ILogger? logger, CancellationToken ct)
        => MigrateAsync(connectionString, _embeddedScripts.Value, logger, ct);

    internal static async Task<MigrationResult> MigrateAsync(
        string connectionString, IReadOnlyList<MigrationScript> scripts, ILogger? logger, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        logger ??= NullLogger.Instance;
        var ordered = MigrationScript.Ordered(scripts);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);

        // Check every recorded checksum before touching anything: an edited script is a build mistake, and
        // applying later scripts on top of it would make the mismatch harder to repair.
        var recorded = await BootstrapAsync(connection, ct);
        var known = ordered.ToDictionary(s => s.Version);
        foreach (var (version, row) in recorded)
        {
            if (known.TryGetValue(version, out var script))
            {
                EnsureUnchanged(script, row.Checksum);
            }
            else
            {
                logger.UnknownMigrationInDatabase(version, row.Name);
            }
        }

        var applied = new List<string>();
        var alreadyApplied = new List<string>();
        foreach (var script in ordered)
        {
            if (recorded.ContainsKey(script.Version))
            {
                alreadyApplied.Add(script.Name);
                logger.MigrationAlreadyApplied(script.Name);
                continue;
            }

            if (await ApplyAsync(connection, script, logger, ct))
            {
                applied.Add(script.Name);
            }
            else
            {
                alreadyApplied.Add(script.Name);
            }
        }

        logger.MigrationsFinished(applied.Count, alreadyApplied.Count);
        return new MigrationResult(applied, alreadyApplied);
    }

    /// <summary>Creates <c>schema_migrations</c> if needed and reads what it records.</summary>
    private static async Task<Dictionary<int, (string Name, string Checksum)>> BootstrapAsync(
        NpgsqlConnection connection, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await LockAsync(connection, transaction, ct);

        await using (var create = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations
            (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                checksum   text        NOT NULL
            )
            """, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        var rows = new Dictionary<int, (string Name, string Checksum)>();
        await using (var select = new NpgsqlCommand(
            "SELECT version, name, checksum FROM schema_migrations", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add(reader.GetInt32(0), (reader.GetString(1), reader.GetString(2)));
            }
        }

        await transaction.CommitAsync(ct);
        return rows;
    }

    /// <summary>Applies <paramref name="script"/> unless another process did so first; true if this call applied it.</summary>
    private static async Task<bool> ApplyAsync(
        NpgsqlConnection connection, MigrationScript script, ILogger logger, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await LockAsync(connection, transaction, ct);

        // Read again under the lock: a concurrent migrator may have applied it since the bootstrap read.
        await using (var check = new NpgsqlCommand(
            "SELECT checksum FROM schema_migrations WHERE version = @version", connection, transaction))
        {
            check.Parameters.AddWithValue("version", script.Version);
            if (await check.ExecuteScalarAsync(ct) is string checksum)
            {
                EnsureUnchanged(script, checksum);
                await transaction.RollbackAsync(ct);
                return false;
            }
        }

        await using (var run = new NpgsqlCommand(script.Sql, connection, transaction))
        {
            run.CommandTimeout = ScriptTimeoutSeconds;
            await run.ExecuteNonQueryAsync(ct);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)",
            connection, transaction))
        {
            record.Parameters.AddWithValue("version", script.Version);
            record.Parameters.AddWithValue("name", script.Name);
            record.Parameters.AddWithValue("checksum", script.Checksum);
            await record.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        logger.MigrationApplied(script.Name, stopwatch.ElapsedMilliseconds);
        return true;
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void EnsureUnchanged(MigrationScript script, string recordedChecksum)
    {
        if (!string.Equals(script.Checksum, recordedChecksum, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Postgres migration {script.Name} was changed after it was applied: the database records checksum " +
                $"{recordedChecksum}, this build has {script.Checksum}. Add a new migration instead of editing an applied one.");
        }
    }
}
