using Gateway.Grains.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gateway.Grains.Tests.Sqlite;

public sealed class SqliteMigratorTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void EmbeddedScripts_AreFoundUnderTheirLogicalNames()
    {
        var scripts = SqliteMigrationScript.LoadEmbedded();

        Assert.Equal(["0001_gateway", "0002_usage_cost"], scripts.Select(s => s.Name));
        Assert.Equal([1, 2], scripts.Select(s => s.Version));
    }

    [Fact]
    public async Task SecondRun_AppliesNothingAndRecordsEachScriptOnce()
    {
        var first = await SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None);
        var second = await SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None);

        Assert.Equal(["0001_gateway", "0002_usage_cost"], first.Applied);
        Assert.Empty(first.AlreadyApplied);
        Assert.Empty(second.Applied);
        Assert.Equal(["0001_gateway", "0002_usage_cost"], second.AlreadyApplied);
        var scripts = SqliteMigrationScript.LoadEmbedded();
        Assert.Equal(
            [$"1|0001_gateway|{scripts[0].Checksum}", $"2|0002_usage_cost|{scripts[1].Checksum}"],
            await QueryAsync("SELECT version || '|' || name || '|' || checksum FROM schema_migrations;"));
    }

    [Fact]
    public async Task ConcurrentMigrators_ApplyEachScriptExactlyOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None))));

        Assert.Equal(1, results.Count(r => r.Applied.SequenceEqual(["0001_gateway", "0002_usage_cost"])));
        Assert.Equal(3, results.Count(r => r.Applied.Count == 0 && r.AlreadyApplied.SequenceEqual(["0001_gateway", "0002_usage_cost"])));
        Assert.Equal(["2"], await QueryAsync("SELECT count(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task NewDatabase_CreatesMissingDirectoryAndOwnerOnlyFile()
    {
        Assert.False(Directory.Exists(_database.Directory), "the test expects the data directory not to exist yet");

        await SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None);

        Assert.True(File.Exists(_database.Path), $"expected {_database.Path} to exist");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_database.Path));
            Assert.Equal(OwnerReadWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_database.Directory));
        }
    }

    [Fact]
    public async Task ExistingWorldReadableFile_IsTightenedToOwnerOnly()
    {
        Directory.CreateDirectory(_database.Directory);
        await File.WriteAllBytesAsync(_database.Path, []);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_database.Path, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var result = await SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None);

        Assert.Equal(["0001_gateway", "0002_usage_cost"], result.Applied);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_database.Path));
        }
    }

    [Fact]
    public async Task Migrate_SwitchesFileToWal()
    {
        await SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None);

        Assert.Equal(["wal"], await QueryAsync("PRAGMA journal_mode;"));
    }

    [Theory]
    [InlineData("grain_state", "grain_type,grain_id,state_name,etag,payload,updated_at")]
    [InlineData("tenants", "id,name,settings,created_at,updated_at,deleted_at")]
    [InlineData("api_keys",
        "id,tenant_id,name,prefix,key_hash,created_at,expires_at,revoked_at,previous_key_hash,previous_valid_until")]
    [InlineData("accounts", "login,host,oauth_app,enabled,created_at")]
    [InlineData("settings", "key,value,updated_at")]
    [InlineData("usage_events",
        "id,created_at,trace_id,session_id,user_id,tenant_id,key_id,account,source,endpoint,provider_name,model," +
        "status,initiator,latency_ms,ttft_ms,input_tokens,output_tokens,cache_read_input_tokens," +
        "cache_creation_input_tokens,total_tokens,cost_currency,cost_nanos")]
    [InlineData("schema_migrations", "version,name,applied_at,checksum")]
    public async Task Migrate_CreatesTableWithPostgresColumnNames(string table, string columns)
    {
        await SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None);

        Assert.Equal(
            [columns],
            await QueryAsync($"SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('{table}') ORDER BY cid);"));
    }

    [Fact]
    public async Task Migrate_IndexesUsageByTenantThenTime()
    {
        await SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None);

        Assert.Equal(
            ["tenant_id,created_at"],
            await QueryAsync(
                "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info('ix_usage_events_tenant_id_created_at') ORDER BY seqno);"));
    }

    [Fact]
    public async Task ApiKeyOfUnknownTenant_IsRejectedByForeignKey()
    {
        await SqliteMigrator.MigrateAsync(_database.Path, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<SqliteException>(() => QueryAsync("""
            INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, created_at)
            VALUES ('k1', 'no-such-tenant', 'key', 'gw_', x'01', 0);
            """));
        Assert.Equal(787, error.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_FOREIGNKEY
    }

    [Fact]
    public async Task ScriptAddedLater_IsAppliedOnTopOfEarlierOnes()
    {
        var v1 = SqliteMigrationScript.Parse("0001_first.sql", "CREATE TABLE first (x INTEGER);");
        var v2 = SqliteMigrationScript.Parse("0002_second.sql", "CREATE TABLE second (y INTEGER);");
        await SqliteMigrator.MigrateAsync(_database.Path, [v1], null, CancellationToken.None);

        var result = await SqliteMigrator.MigrateAsync(_database.Path, [v1, v2], null, CancellationToken.None);

        Assert.Equal(["0002_second"], result.Applied);
        Assert.Equal(["0001_first"], result.AlreadyApplied);
        Assert.Equal(["first", "second"], await QueryAsync(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('first', 'second') ORDER BY name;"));
    }

    [Fact]
    public async Task AppliedScriptEditedLater_FailsAndAppliesNothing()
    {
        var original = SqliteMigrationScript.Parse("0001_first.sql", "CREATE TABLE first (x INTEGER);");
        var edited = SqliteMigrationScript.Parse("0001_first.sql", "CREATE TABLE first (x INTEGER, y INTEGER);");
        var next = SqliteMigrationScript.Parse("0002_second.sql", "CREATE TABLE second (y INTEGER);");
        await SqliteMigrator.MigrateAsync(_database.Path, [original], null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SqliteMigrator.MigrateAsync(_database.Path, [edited, next], null, CancellationToken.None));

        Assert.StartsWith("SQLite migration 0001_first was changed after it was applied", error.Message);
        Assert.Equal(["1"], await QueryAsync("SELECT count(*) FROM schema_migrations;"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*) FROM sqlite_master WHERE name = 'second';"));
    }

    [Fact]
    public async Task FailingScript_RollsBackWholeRun()
    {
        var good = SqliteMigrationScript.Parse("0001_good.sql", "CREATE TABLE good (x INTEGER);");
        var bad = SqliteMigrationScript.Parse("0002_bad.sql", "CREATE TABLE broken (;");

        await Assert.ThrowsAsync<SqliteException>(() =>
            SqliteMigrator.MigrateAsync(_database.Path, [good, bad], null, CancellationToken.None));

        Assert.Equal(["0"], await QueryAsync(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('good', 'schema_migrations');"));
    }

    [Fact]
    public void ScriptFileNameWithoutVersion_IsRejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SqliteMigrationScript.Parse("gateway.sql", ""));

        Assert.Equal("Migration file 'gateway.sql' is not named like '0001_description.sql'.", error.Message);
    }

    /// <summary>Runs <paramref name="sql"/> on the test file and returns the first column of every row as text.</summary>
    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = await SqliteDatabase.OpenAsync(
            SqliteDatabase.CreateConnectionString(_database.Path), CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        return rows;
    }
}
