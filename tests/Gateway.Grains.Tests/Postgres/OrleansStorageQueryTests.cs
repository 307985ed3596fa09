using System.Data;
using Npgsql;

namespace Gateway.Grains.Tests.Postgres;

/// <summary>
/// Runs the grain-storage statements from OrleansQuery the way AdoNetGrainStorage binds them (same parameter names
/// and DbTypes), for the cases a cluster test does not reach: DeleteStorageKey (DeleteStateOnClear) and keys that
/// differ only in their string extension.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansStorageQueryTests(PostgresFixture fixture)
{
    [Fact]
    public async Task DeleteStorage_StaleVersionKeepsTheRow_CurrentVersionDeletesItAndReturnsANewerVersion()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var key = new StorageKey(GrainIdN1: 7, Extension: null);
        Assert.Equal([1], await RunAsync(connectionString, "WriteToStorageKey", key, version: null, payload: [1, 2, 3]));

        var stale = await RunAsync(connectionString, "DeleteStorageKey", key, version: 0);
        var current = await RunAsync(connectionString, "DeleteStorageKey", key, version: 1);
        var afterDelete = await RunAsync(connectionString, "ReadFromStorageKey", key);

        Assert.Empty(stale);
        Assert.Equal([2], current);
        Assert.Empty(afterDelete);
    }

    [Fact]
    public async Task WriteAndRead_KeysDifferingOnlyInExtension_AreSeparateRows()
    {
        var connectionString = await fixture.CreateMigratedDatabaseAsync();
        var plain = new StorageKey(GrainIdN1: 7, Extension: null);
        var extended = new StorageKey(GrainIdN1: 7, Extension: "ext");

        var plainWrite = await RunAsync(connectionString, "WriteToStorageKey", plain, version: null, payload: [1]);
        var extendedWrite = await RunAsync(connectionString, "WriteToStorageKey", extended, version: null, payload: [2]);
        var plainRead = await RunAsync(connectionString, "ReadFromStorageKey", plain);
        var extendedRead = await RunAsync(connectionString, "ReadFromStorageKey", extended);

        Assert.Equal([1], plainWrite);
        Assert.Equal([1], extendedWrite);
        Assert.Equal([new byte[] { 1 }, 1], plainRead);
        Assert.Equal([new byte[] { 2 }, 1], extendedRead);
    }

    private sealed record StorageKey(long GrainIdN1, string? Extension);

    /// <summary>Runs the stored query <paramref name="queryKey"/> and returns the first row's values.</summary>
    private static async Task<List<object>> RunAsync(
        string connectionString, string queryKey, StorageKey key, int? version = null, byte[]? payload = null)
    {
        var text = (await Sql.QueryAsync(connectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key",
            r => r.GetString(0), ("key", queryKey))).Single();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(text, connection);
        Add(command, "GrainIdHash", DbType.Int32, 1234);
        Add(command, "GrainIdN0", DbType.Int64, 0L);
        Add(command, "GrainIdN1", DbType.Int64, key.GrainIdN1);
        Add(command, "GrainTypeHash", DbType.Int32, 5678);
        Add(command, "GrainTypeString", DbType.String, "storagetest/s");
        Add(command, "GrainIdExtensionString", DbType.String, key.Extension);
        Add(command, "ServiceId", DbType.String, "svc");
        if (queryKey != "ReadFromStorageKey")
        {
            Add(command, "GrainStateVersion", DbType.Int32, version);
        }

        if (queryKey == "WriteToStorageKey")
        {
            Add(command, "PayloadBinary", DbType.Binary, payload);
        }

        var values = new List<object>();
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values.Add(reader.GetValue(i));
            }
        }

        return values;
    }

    private static void Add(NpgsqlCommand command, string name, DbType type, object? value)
        => command.Parameters.Add(new NpgsqlParameter { ParameterName = name, DbType = type, Value = value ?? DBNull.Value });
}
