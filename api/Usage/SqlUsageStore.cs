using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Gateway.Api.Usage;

/// <summary>
/// The queries both stores share (DESIGN §4): the tables have the same names and columns in SQLite and Postgres, and
/// both ADO.NET providers accept <c>@name</c> parameters, so only timestamps, ids, the day expression and the batch
/// write differ. Timestamps are kept to the millisecond in both, so a record reads back the same from either.
/// </summary>
public abstract class SqlUsageStore : IUsageStore
{
    /// <summary>Column order of <see cref="ReadRecord"/> and of both batch writers.</summary>
    protected const string Columns =
        "id, created_at, trace_id, session_id, user_id, tenant_id, key_id, account, source, endpoint, provider_name, " +
        "model, status, initiator, latency_ms, ttft_ms, input_tokens, output_tokens, cache_read_input_tokens, " +
        "cache_creation_input_tokens, total_tokens, cost_currency, cost_nanos";

    /// <summary>
    /// The sums of <see cref="ReadSums"/>: requests, the five token sums, then the cost of one currency. Every query
    /// that selects them also groups by <c>cost_currency</c>; <see cref="Fold"/> adds the currencies back together.
    /// </summary>

    private const string SumColumns =
        "count(*), " +
        "CAST(coalesce(sum(input_tokens), 0) AS BIGINT), " +
        "CAST(coalesce(sum(output_tokens), 0) AS BIGINT), " +
        "CAST(coalesce(sum(cache_read_input_tokens), 0) AS BIGINT), " +
        "CAST(coalesce(sum(cache_creation_input_tokens), 0) AS BIGINT), " +
        "CAST(coalesce(sum(total_tokens), 0) AS BIGINT), " +
        "cost_currency, " +
        "CAST(coalesce(sum(cost_nanos), 0) AS BIGINT)";

    /// <summary>The UTC calendar day of <c>created_at</c> as <c>yyyy-MM-dd</c> text.</summary>
    protected abstract string DayExpression { get; }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A timestamp as this database stores it, truncated to the millisecond.</summary>
    protected abstract object ToDbTime(DateTimeOffset value);

    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    protected abstract object ToDbId(Guid id);

    protected abstract Guid ReadId(DbDataReader reader, int ordinal);

    public abstract Task<int> WriteBatchAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    protected static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value)
        => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    public async Task<UsageSums> GetTotalsAsync(string tenantId, UsageRange range, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {SumColumns} FROM usage_events WHERE tenant_id = @tenant{RangeFilter(command, range)} GROUP BY cost_currency";
        AddParameter(command, "@tenant", tenantId);
        var totals = UsageSums.Zero;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals += ReadSums(reader, 0);
        }
        return totals;
    }

    public async Task<IReadOnlyList<UsageModelRow>> GetByModelAsync(
        string tenantId, UsageRange range, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT model, provider_name, {SumColumns} FROM usage_events WHERE tenant_id = @tenant{RangeFilter(command, range)} " +
            "GROUP BY model, provider_name, cost_currency";
        AddParameter(command, "@tenant", tenantId);
        var sums = new Dictionary<(string Model, string? Provider), UsageSums>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Fold(sums, (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)), ReadSums(reader, 2));
        }
        var rows = sums.Select(p => new UsageModelRow(p.Key.Model, p.Key.Provider, p.Value)).ToList();
        // Sorted here rather than in SQL so that both databases order ties and nulls the same way.
        rows.Sort(static (a, b) =>
        {
            var byTotal = b.Sums.TotalTokens.CompareTo(a.Sums.TotalTokens);
            if (byTotal != 0)
            {
                return byTotal;
            }
            var byModel = string.CompareOrdinal(a.Model, b.Model);
            return byModel != 0 ? byModel : string.CompareOrdinal(a.ProviderName, b.ProviderName);
        });
        return rows;
    }

    public async Task<IReadOnlyList<UsageSeriesPoint>> GetSeriesAsync(
        string tenantId, IReadOnlyList<DateTimeOffset> bucketStarts, DateTimeOffset end, CancellationToken cancellationToken)
    {
        if (bucketStarts.Count == 0)
        {
            return [];
        }
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // One range scan of the (tenant_id, created_at) index per bucket; the bucket table is a VALUES list because
        // neither database's date functions know the caller's time zone rules the same way .NET does.
        var sql = new StringBuilder("WITH b(i, s, e) AS (VALUES ");
        for (var i = 0; i < bucketStarts.Count; i++)
        {
            var bucketEnd = i + 1 < bucketStarts.Count ? bucketStarts[i + 1] : end;
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({i}, @s{i}, @e{i})");
            AddParameter(command, $"@s{i}", ToDbTime(bucketStarts[i]));
            AddParameter(command, $"@e{i}", ToDbTime(bucketEnd));
        }
        sql.Append(") SELECT b.i, count(u.id), ")
            .Append("CAST(coalesce(sum(u.input_tokens), 0) AS BIGINT), ")
            .Append("CAST(coalesce(sum(u.output_tokens), 0) AS BIGINT), ")
            .Append("CAST(coalesce(sum(u.cache_read_input_tokens), 0) AS BIGINT), ")
            .Append("CAST(coalesce(sum(u.cache_creation_input_tokens), 0) AS BIGINT), ")
            .Append("CAST(coalesce(sum(u.total_tokens), 0) AS BIGINT), ")
            .Append("u.cost_currency, ")
            .Append("CAST(coalesce(sum(u.cost_nanos), 0) AS BIGINT) ")
            .Append("FROM b LEFT JOIN usage_events u ON u.tenant_id = @tenant AND u.created_at >= b.s AND u.created_at < b.e ")
            .Append("GROUP BY b.i, u.cost_currency ORDER BY b.i");
        command.CommandText = sql.ToString();
        AddParameter(command, "@tenant", tenantId);
        var points = new UsageSeriesPoint[bucketStarts.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var index = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            points[index] = new UsageSeriesPoint(bucketStarts[index], (points[index]?.Sums ?? UsageSums.Zero) + ReadSums(reader, 1));
        }
        return points;
    }

    public async Task<UsageEventsPage> GetEventsAsync(
        string tenantId, UsageRange range, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var connection = await OpenAsync(cancellationToken);
        long total;
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = $"SELECT count(*) FROM usage_events WHERE tenant_id = @tenant{RangeFilter(count, range)}";
            AddParameter(count, "@tenant", tenantId);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {Columns} FROM usage_events WHERE tenant_id = @tenant{RangeFilter(command, range)} " +
            "ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset";
        AddParameter(command, "@tenant", tenantId);
        AddParameter(command, "@limit", (long)pageSize);
        AddParameter(command, "@offset", (long)(page - 1) * pageSize);
        var records = new List<UsageRecord>(pageSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(ReadRecord(reader));
        }
        return new UsageEventsPage(records, total);
    }

    public async Task<IReadOnlyList<UsageGroupRow>> GroupAsync(
        UsageRange range, string? tenantId, IReadOnlyList<UsageDimension> groupBy, CancellationToken cancellationToken)
    {
        var dimensions = groupBy.Distinct().ToArray();
        var expressions = dimensions.Select(ColumnOf).ToArray();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT ");
        foreach (var expression in expressions)
        {
            sql.Append(expression).Append(", ");
        }
        sql.Append(SumColumns).Append(" FROM usage_events WHERE 1 = 1");
        if (tenantId is not null)
        {
            sql.Append(" AND tenant_id = @tenant");
            AddParameter(command, "@tenant", tenantId);
        }
        sql.Append(RangeFilter(command, range));
        sql.Append(" GROUP BY ").AppendJoin(", ", expressions.Append("cost_currency"));
        command.CommandText = sql.ToString();

        // Keyed by the dimension values joined with a separator no value contains, with a marker for null.
        var groups = new Dictionary<string, (Dictionary<UsageDimension, string?> Keys, UsageSums Sums)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var keys = new Dictionary<UsageDimension, string?>(dimensions.Length);
            var groupKey = new StringBuilder();
            for (var i = 0; i < dimensions.Length; i++)
            {
                var value = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                keys[dimensions[i]] = value;
                groupKey.Append(value is null ? "\0" : value).Append('\u001f');
            }
            var sums = ReadSums(reader, dimensions.Length);
            var key = groupKey.ToString();
            groups[key] = groups.TryGetValue(key, out var group) ? (group.Keys, group.Sums + sums) : (keys, sums);
        }
        var rows = groups.Values.Select(g => new UsageGroupRow(g.Keys, g.Sums)).ToList();
        // Ordinal, nulls first, the same in both databases.
        rows.Sort((a, b) =>
        {
            foreach (var dimension in dimensions)
            {
                var compared = string.CompareOrdinal(a.Keys[dimension], b.Keys[dimension]);
                if (compared != 0)
                {
                    return compared;
                }
            }
            return 0;
        });
        return rows;
    }

    public async Task<DateTimeOffset?> GetFirstRecordTimeAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT created_at FROM usage_events WHERE tenant_id = @tenant ORDER BY created_at LIMIT 1";
        AddParameter(command, "@tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadTime(reader, 0) : null;
    }

    protected static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The record values in <see cref="Columns"/> order, as this database stores them.</summary>
    protected object?[] ToRow(UsageRecord record) =>
    [
        ToDbId(record.Id), ToDbTime(record.CreatedAt), record.TraceId, record.SessionId, record.UserId, record.TenantId,
        record.KeyId, record.Account, record.Source, record.Endpoint, record.ProviderName, record.Model, record.Status,
        record.Initiator, record.LatencyMs, record.TtftMs, record.InputTokens, record.OutputTokens,
        record.CacheReadInputTokens, record.CacheCreationInputTokens, record.TotalTokens, record.CostCurrency,
        record.CostNanos,
    ];

    private string RangeFilter(DbCommand command, UsageRange range)
    {
        AddParameter(command, "@to", ToDbTime(range.To));
        if (range.From is { } from)
        {
            AddParameter(command, "@from", ToDbTime(from));
            return " AND created_at >= @from AND created_at < @to";
        }
        return " AND created_at < @to";
    }

    private string ColumnOf(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Tenant => "tenant_id",
        UsageDimension.Key => "key_id",
        UsageDimension.Account => "account",
        UsageDimension.Provider => "provider_name",
        UsageDimension.Model => "model",
        UsageDimension.Day => DayExpression,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    private static UsageSums ReadSums(DbDataReader reader, int first) => new(
        Convert.ToInt64(reader.GetValue(first), CultureInfo.InvariantCulture),
        reader.GetInt64(first + 1),
        reader.GetInt64(first + 2),
        reader.GetInt64(first + 3),
        reader.GetInt64(first + 4),
        reader.GetInt64(first + 5),
        UsageCost.Of(reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6), reader.GetInt64(first + 7)));

    private static void Fold<TKey>(Dictionary<TKey, UsageSums> sums, TKey key, UsageSums add) where TKey : notnull
        => sums[key] = sums.GetValueOrDefault(key) + add;

    private UsageRecord ReadRecord(DbDataReader reader) => new()
    {
        Id = ReadId(reader, 0),
        CreatedAt = ReadTime(reader, 1),
        TraceId = reader.GetString(2),
        SessionId = reader.GetString(3),
        UserId = reader.GetString(4),
        TenantId = reader.GetString(5),
        KeyId = reader.IsDBNull(6) ? null : reader.GetString(6),
        Account = reader.GetString(7),
        Source = reader.GetString(8),
        Endpoint = reader.GetString(9),
        ProviderName = reader.IsDBNull(10) ? null : reader.GetString(10),
        Model = reader.GetString(11),
        Status = reader.GetInt32(12),
        Initiator = reader.IsDBNull(13) ? null : reader.GetString(13),
        LatencyMs = reader.GetInt32(14),
        TtftMs = reader.IsDBNull(15) ? null : reader.GetInt32(15),
        InputTokens = reader.GetInt64(16),
        OutputTokens = reader.GetInt64(17),
        CacheReadInputTokens = reader.GetInt64(18),
        CacheCreationInputTokens = reader.GetInt64(19),
        TotalTokens = reader.GetInt64(20),
        CostCurrency = reader.IsDBNull(21) ? null : reader.GetString(21),
        CostNanos = reader.GetInt64(22),
    };
}
