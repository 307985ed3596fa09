using Gateway.Grains.Storage.Sqlite;
using Gateway.Grains.Tests.StorageContract;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Gateway.Grains.Tests.Sqlite;

/// <summary>The storage contract against <see cref="SqliteGrainStorage"/> in a standalone silo, plus its row layout.</summary>
public sealed class SqliteGrainStorageTests(SqliteSiloFixture fixture)
    : GrainStorageContractTests, IClassFixture<SqliteSiloFixture>
{
    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult(fixture.Storage);

    [Fact]
    public void StorageResolvedByName_IsTheSqliteProvider()
    {
        Assert.IsType<SqliteGrainStorage>(fixture.Storage);
    }

    [Fact]
    public async Task Write_StoresConfiguredSerializersBytesUnderGrainTypeKeyAndStateName()
    {
        var grainId = GrainId.Create("sqlite-layout", "key-" + Guid.NewGuid().ToString("N"));
        var state = new GrainState<ContractTestState> { State = new ContractTestState { Name = "layout", Count = 3, Blob = [1, 2] } };
        var expected = fixture.SiloServices.GetRequiredService<IGrainStorageSerializer>().Serialize(state.State).ToArray();

        await fixture.Storage.WriteStateAsync("layout-state", grainId, state);

        var row = await ReadRowAsync(grainId, "layout-state");
        Assert.NotNull(row);
        Assert.Equal(state.ETag, row.Value.ETag);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(row.Value.Payload));
    }

    [Fact]
    public async Task Clear_DeletesTheRowRatherThanKeepingATombstone()
    {
        var grainId = GrainId.Create("sqlite-layout", "key-" + Guid.NewGuid().ToString("N"));
        var state = new GrainState<ContractTestState> { State = new ContractTestState { Name = "gone" } };
        await fixture.Storage.WriteStateAsync("s", grainId, state);

        await fixture.Storage.ClearStateAsync("s", grainId, state);

        Assert.Null(await ReadRowAsync(grainId, "s"));
    }

    private async Task<(string ETag, byte[] Payload)?> ReadRowAsync(GrainId grainId, string stateName)
    {
        await using var connection = await SqliteDatabase.OpenAsync(
            SqliteDatabase.CreateConnectionString(fixture.DatabasePath), CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT etag, payload FROM grain_state
            WHERE grain_type = $grain_type AND grain_id = $grain_id AND state_name = $state_name;
            """;
        command.Parameters.AddWithValue("$grain_type", grainId.Type.ToString());
        command.Parameters.AddWithValue("$grain_id", grainId.Key.ToString());
        command.Parameters.AddWithValue("$state_name", stateName);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetFieldValue<byte[]>(1)) : null;
    }
}
