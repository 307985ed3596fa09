using Gateway.Grains.Storage.Postgres;
using Npgsql;

namespace Gateway.Grains.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigratorTests(PostgresFixture fixture)
{
    private static readonly string[] _allMigrations = ["0001_orleans", "0002_gateway", "0003_usage_cost"];

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_CreatesEveryTableAndRecordsBothScripts()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();

        var result = await PostgresMigrator.MigrateAsync(connectionString, logger: null, CancellationToken.None);

        Assert.Equal(_allMigrations, result.Applied);
        Assert.Empty(result.AlreadyApplied);
        var tables = await Sql.QueryAsync(connectionString,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
            r => r.GetString(0));
        Assert.Equal(
            [
                "accounts", "api_keys", "orleansmembershiptable", "orleansmembershipversiontable", "orleansquery",
                "orleansreminderstable", "orleansstorage", "schema_migrations", "settings", "tenants", "usage_events",
            ],
            tables);
        var embedded = MigrationScript.LoadEmbedded();
        var recorded = await Sql.QueryAsync(connectionString,
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
            r => (r.GetInt32(0), r.GetString(1), r.GetString(2)));
        Assert.Equal(embedded.Select(s => (s.Version, s.Name, s.Checksum)), recorded);
    }

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_InsertsEveryQueryTheThreeOrleansProvidersRead()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();

        await PostgresMigrator.MigrateAsync(connectionString, logger: null, CancellationToken.None);

        var keys = await Sql.QueryAsync(connectionString,
            "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\"", r => r.GetString(0));
        Assert.Equal(
            [
                // Clustering (all required except CleanupDefunctSiloEntryKey, which the provider prefers when present).
                "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
                // Grain storage (DeleteStorageKey only matters with DeleteStateOnClear).
                "ClearStorageKey",
                "DeleteMembershipTableEntriesKey",
                // Reminders.
                "DeleteReminderRowKey", "DeleteReminderRowsKey",
                "DeleteStorageKey",
                "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
                "MembershipReadRowKey",
                "ReadFromStorageKey",
                "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "ReadReminderRowsKey",
                "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
                "UpsertReminderRowKey",
                "WriteToStorageKey",
            ],
            keys);
    }

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_CreatesGatewayTablesWithTheSpecifiedColumns()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();

        var columns = await Sql.QueryAsync(connectionString,
            """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' ||
                   CASE is_nullable WHEN 'YES' THEN 'null' ELSE 'not null' END ||
                   coalesce(' default ' || column_default, '')
            FROM information_schema.columns
            WHERE table_schema = 'public'
              AND table_name IN ('tenants', 'api_keys', 'accounts', 'settings', 'usage_events')
            ORDER BY table_name, ordinal_position
            """,
            r => r.GetString(0));

        Assert.Equal(
            [
                "accounts.login text not null",
                "accounts.host text not null",
                "accounts.oauth_app text not null",
                "accounts.enabled boolean not null default true",
                "accounts.created_at timestamp with time zone not null",
                "api_keys.id text not null",
                "api_keys.tenant_id text not null",
                "api_keys.name text not null",
                "api_keys.prefix text not null",
                "api_keys.key_hash bytea not null",
                "api_keys.created_at timestamp with time zone not null",
                "api_keys.expires_at timestamp with time zone null",
                "api_keys.revoked_at timestamp with time zone null",
                "api_keys.previous_key_hash bytea null",
                "api_keys.previous_valid_until timestamp with time zone null",
                "settings.key text not null",
                "settings.value jsonb not null",
                "settings.updated_at timestamp with time zone not null",
                "tenants.id text not null",
                "tenants.name text not null",
                "tenants.settings jsonb not null default '{}'::jsonb",
                "tenants.created_at timestamp with time zone not null",
                "tenants.updated_at timestamp with time zone not null",
                "tenants.deleted_at timestamp with time zone null",
                "usage_events.id uuid not null",
                "usage_events.created_at timestamp with time zone not null",
                "usage_events.trace_id text not null",
                "usage_events.session_id text not null",
                "usage_events.user_id text not null",
                "usage_events.tenant_id text not null",
                "usage_events.key_id text null",
                "usage_events.account text not null",
                "usage_events.source text not null",
                "usage_events.endpoint text not null",
                "usage_events.provider_name text null",
                "usage_events.model text not null",
                "usage_events.status integer not null",
                "usage_events.initiator text null",
                "usage_events.latency_ms integer not null",
                "usage_events.ttft_ms integer null",
                "usage_events.input_tokens bigint not null",
                "usage_events.output_tokens bigint not null",
                "usage_events.cache_read_input_tokens bigint not null",
                "usage_events.cache_creation_input_tokens bigint not null",
                "usage_events.total_tokens bigint not null",
                "usage_events.cost_currency text null",
                "usage_events.cost_nanos bigint not null default 0",
            ],
            columns);
        var indexes = await Sql.QueryAsync(connectionString,
            """
            SELECT indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename IN ('api_keys', 'usage_events') AND indexname NOT LIKE '%_pkey'
            ORDER BY indexname
            """,
            r => r.GetString(0));
        Assert.Equal(
            [
                "CREATE UNIQUE INDEX api_keys_key_hash_key ON public.api_keys USING btree (key_hash)",
                "CREATE INDEX api_keys_tenant_id ON public.api_keys USING btree (tenant_id)",
                "CREATE INDEX usage_events_tenant_created ON public.usage_events USING btree (tenant_id, created_at)",
            ],
            indexes);
    }

    [Fact]
    public async Task MigrateAsync_Twice_SecondRunAppliesNothing()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(connectionString, logger: null, CancellationToken.None);
        var before = await ReadHistoryAsync(connectionString);

        var second = await PostgresMigrator.MigrateAsync(connectionString, logger: null, CancellationToken.None);

        Assert.Empty(second.Applied);
        Assert.Equal(_allMigrations, second.AlreadyApplied);
        Assert.Equal(before, await ReadHistoryAsync(connectionString));
    }

    [Fact]
    public async Task MigrateAsync_FourConcurrentMigrators_AllSucceedAndApplyEachScriptOnce()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => PostgresMigrator.MigrateAsync(connectionString, logger: null, CancellationToken.None))));

        foreach (var name in _allMigrations)
        {
            Assert.Equal(1, results.Count(r => r.Applied.Contains(name)));
            Assert.Equal(3, results.Count(r => r.AlreadyApplied.Contains(name)));
        }

        var history = await ReadHistoryAsync(connectionString);
        Assert.Equal(_allMigrations, history.Select(h => h.Name));
        var queryKeys = await Sql.QueryAsync(connectionString, "SELECT count(*) FROM OrleansQuery", r => r.GetInt64(0));
        Assert.Equal([21L], queryKeys);
    }

    [Fact]
    public async Task MigrateAsync_AppliedScriptChangedAfterwards_ThrowsAndAppliesNothingNew()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await PostgresMigrator.MigrateAsync(
            connectionString, [MigrationScript.FromFile("0001_first.sql", "CREATE TABLE first (x integer);")],
            logger: null, CancellationToken.None);

        var edited = MigrationScript.FromFile("0001_first.sql", "CREATE TABLE first (x bigint);");
        var next = MigrationScript.FromFile("0002_second.sql", "CREATE TABLE second (x integer);");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PostgresMigrator.MigrateAsync(connectionString, [edited, next], logger: null, CancellationToken.None));

        Assert.StartsWith("Postgres migration 0001_first was changed after it was applied", error.Message);
        Assert.Equal(["0001_first"], (await ReadHistoryAsync(connectionString)).Select(h => h.Name));
        Assert.Equal([0L], await Sql.QueryAsync(connectionString,
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'second'", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task MigrateAsync_ScriptFailsHalfway_RollsItBackAndKeepsEarlierScripts()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        MigrationScript[] scripts =
        [
            MigrationScript.FromFile("0001_good.sql", "CREATE TABLE good (x integer);"),
            MigrationScript.FromFile("0002_bad.sql", "CREATE TABLE half (x integer); SELECT 1 / 0;"),
        ];

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            PostgresMigrator.MigrateAsync(connectionString, scripts, logger: null, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.DivisionByZero, error.SqlState);
        Assert.Equal(["0001_good"], (await ReadHistoryAsync(connectionString)).Select(h => h.Name));
        var tables = await Sql.QueryAsync(connectionString,
            "SELECT table_name FROM information_schema.tables WHERE table_name IN ('good', 'half')", r => r.GetString(0));
        Assert.Equal(["good"], tables);
    }

    [Fact]
    public void LoadEmbedded_ScriptsInGrainsAssembly_AreFoundInVersionOrder()
    {
        var scripts = MigrationScript.LoadEmbedded();

        Assert.Equal([(1, "0001_orleans"), (2, "0002_gateway"), (3, "0003_usage_cost")], scripts.Select(s => (s.Version, s.Name)));
    }

    private static Task<List<(int Version, string Name, string Checksum, DateTime AppliedAt)>> ReadHistoryAsync(
        string connectionString)
        => Sql.QueryAsync(connectionString,
            "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version",
            r => (r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetDateTime(3)));
}
