using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Api.Usage;

/// <summary>
/// Cluster usage store on Postgres (DESIGN §2 step 6, §4). A batch goes in by binary COPY into a temporary table and
/// one <c>INSERT … SELECT … ON CONFLICT (id) DO NOTHING</c>, so it is fast and idempotent at once: COPY alone would
/// fail the whole batch on one id that an earlier, retried attempt already committed.
/// </summary>
public sealed class PostgresUsageStore : SqlUsageStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresUsageStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    protected override string DayExpression => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')";

    public override async Task<int> WriteBatchAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE usage_events_load (LIKE usage_events) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var import = await connection.BeginBinaryImportAsync(
            $"COPY usage_events_load ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var record in records)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(record.Id, NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(TruncateToMilliseconds(record.CreatedAt).ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(record.TraceId, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(record.SessionId, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(record.UserId, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(record.TenantId, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(import, record.KeyId, cancellationToken);
                await import.WriteAsync(record.Account, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(record.Source, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(record.Endpoint, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(import, record.ProviderName, cancellationToken);
                await import.WriteAsync(record.Model, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(record.Status, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(import, record.Initiator, cancellationToken);
                await import.WriteAsync(record.LatencyMs, NpgsqlDbType.Integer, cancellationToken);
                if (record.TtftMs is { } ttft)
                {
                    await import.WriteAsync(ttft, NpgsqlDbType.Integer, cancellationToken);
                }
                else
                {
                    await import.WriteNullAsync(cancellationToken);
                }
                await import.WriteAsync(record.InputTokens, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(record.OutputTokens, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(record.CacheReadInputTokens, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(record.CacheCreationInputTokens, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(record.TotalTokens, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(import, record.CostCurrency, cancellationToken);
                await import.WriteAsync(record.CostNanos, NpgsqlDbType.Bigint, cancellationToken);
            }
            await import.CompleteAsync(cancellationToken);
        }

        int inserted;
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO usage_events ({Columns}) SELECT {Columns} FROM usage_events_load ON CONFLICT (id) DO NOTHING",
            connection, transaction))
        {
            inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>For containers disposed synchronously.</summary>
    public void Dispose() => _dataSource.Dispose();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        => await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Npgsql writes <c>timestamptz</c> only from UTC values.</summary>
    protected override object ToDbTime(DateTimeOffset value) => TruncateToMilliseconds(value).ToUniversalTime();

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    protected override object ToDbId(Guid id) => id;

    protected override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter import, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await import.WriteNullAsync(cancellationToken);
        }
        else
        {
            await import.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }
}
