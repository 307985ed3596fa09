using System.Data.Common;
using Gateway.Grains.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.Api.Usage;

/// <summary>
/// Standalone usage store on the gateway's SQLite file (DESIGN §4). Timestamps are unix milliseconds (the convention
/// of <c>sqlite/0001_gateway.sql</c>); ids are lower-case UUID text. The schema comes from <see cref="SqliteMigrator"/>.
/// </summary>
public sealed class SqliteUsageStore(string databasePath) : SqlUsageStore
{
    private static readonly string[] _columnNames = Columns.Split(", ");
    private static readonly string _insertSql =
        $"INSERT OR IGNORE INTO usage_events ({Columns}) VALUES ({string.Join(", ", _columnNames.Select(n => "@" + n))})";

    private readonly string _connectionString = SqliteDatabase.CreateConnectionString(databasePath);

    protected override string DayExpression => "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')";

    /// <summary>One immediate transaction of <c>INSERT OR IGNORE</c> rows: all or nothing, and duplicates skipped.</summary>
    public override async Task<int> WriteBatchAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }
        await using var connection = await SqliteDatabase.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _insertSql;
        var parameters = _columnNames.Select(n => command.Parameters.Add(new SqliteParameter { ParameterName = "@" + n })).ToArray();
        var inserted = 0;
        foreach (var record in records)
        {
            var row = ToRow(record);
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        => await SqliteDatabase.OpenAsync(_connectionString, cancellationToken);

    protected override object ToDbTime(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal)
        => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    protected override object ToDbId(Guid id) => id.ToString("D");

    protected override Guid ReadId(DbDataReader reader, int ordinal) => Guid.Parse(reader.GetString(ordinal));
}
