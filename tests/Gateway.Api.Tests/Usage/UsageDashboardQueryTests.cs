using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Api.Usage;
using Gateway.Grains.Storage.Postgres;
using Npgsql;

namespace Gateway.Api.Tests.Usage;

/// <summary>
/// Every SQL query of the Grafana usage dashboard (deploy/grafana/dashboards/usage-history.json) runs against the
/// real <c>usage_events</c> schema, with Grafana's macros expanded as its Postgres data source does, so a renamed
/// column or a typo breaks a test instead of a panel.
/// </summary>
public sealed partial class UsageDashboardQueryTests(UsagePostgresFixture fixture) : IClassFixture<UsagePostgresFixture>
{
    [Fact]
    public async Task EveryPanelAndVariableQuery_RunsOnTheMigratedSchema()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(connectionString, null, CancellationToken.None);
        await using (var store = new PostgresUsageStore(connectionString))
        {
            var now = DateTimeOffset.UtcNow;
            await store.WriteBatchAsync(
            [
                TestRecords.Create(at: now.AddMinutes(-5), currency: "USD", costNanos: 1_000_000),
                TestRecords.Create(tenant: "t2", model: "claude-sonnet-4.5", at: now.AddMinutes(-3), status: 429),
            ], default);
        }

        var queries = DashboardQueries().ToList();
        Assert.True(queries.Count >= 20, $"found only {queries.Count} queries");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var failures = new List<string>();
        var withRows = 0;
        foreach (var (title, sql) in queries)
        {
            try
            {
                await using var command = new NpgsqlCommand(Expand(sql), connection);
                await using var reader = await command.ExecuteReaderAsync();
                withRows += await reader.ReadAsync() ? 1 : 0;
            }
            catch (PostgresException ex)
            {
                failures.Add($"{title}: {ex.MessageText}");
            }
        }
        Assert.Empty(failures);
        Assert.True(withRows >= queries.Count / 2, $"only {withRows} of {queries.Count} queries returned rows");
    }

    private static IEnumerable<(string Title, string Sql)> DashboardQueries()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Gateway.Cluster.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "deploy/grafana/dashboards/usage-history.json")));
        foreach (var panel in document.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("rawSql", out var sql))
                    {
                        yield return (panel.GetProperty("title").GetString()!, sql.GetString()!);
                    }
                }
            }
        }
        foreach (var variable in document.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.TryGetProperty("datasource", out _) && variable.TryGetProperty("query", out var query) && query.ValueKind == JsonValueKind.String)
            {
                yield return ("$" + variable.GetProperty("name").GetString(), query.GetString()!);
            }
        }
    }

    /// <summary>The macros the dashboard uses, expanded the way Grafana's Postgres data source expands them.</summary>
    private static string Expand(string sql)
    {
        sql = TimeGroupAlias().Replace(sql, "date_trunc('hour', $1) AS \"time\"");
        sql = TimeFilter().Replace(sql, "$1 BETWEEN now() - interval '1 day' AND now()");
        return sql
            .Replace("${tenant:sqlstring}", "'__all__'", StringComparison.Ordinal)
            .Replace("${model:sqlstring}", "'__all__'", StringComparison.Ordinal)
            .Replace("$top", "10", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\$__timeGroupAlias\((\w+),\s*'[^']*'\)")]
    private static partial Regex TimeGroupAlias();

    [GeneratedRegex(@"\$__timeFilter\((\w+)\)")]
    private static partial Regex TimeFilter();
}
