using Microsoft.Data.Sqlite;

namespace Gateway.Grains.Storage.Sqlite;

/// <summary>
/// Connection settings shared by everything that opens the standalone SQLite file (DESIGN.md §1, §4): grain storage,
/// the migrator and the gateway's own stores.
/// </summary>
public static class SqliteDatabase
{
    /// <summary>
    /// How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. Writers in
    /// one process queue on their own async gates first, so this only covers contention between components or
    /// processes sharing the file.
    /// </summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A pooled, read-write-create connection string with foreign keys enforced. Microsoft.Data.Sqlite pools
    /// connections per connection string, so every caller should build it here to share one pool.
    /// </summary>
    public static string CreateConnectionString(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(databasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    /// <summary>
    /// Opens a connection and sets its busy timeout. The pragma is per connection and cheap, so it is set on every
    /// open rather than tracked per pooled connection.
    /// </summary>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
