using Gateway.Grains.Hosting;

namespace Gateway.Grains.Tests.Sqlite;

public sealed class SqliteStandaloneTestGrain(
    [PersistentState("s", SqliteHosting.GrainStorageName)] IPersistentState<SqliteStandaloneTestState> state)
    : Grain, ISqliteStandaloneTestGrain
{
    public async Task<SqliteStandaloneTestSnapshot> AppendAsync(string value)
    {
        state.State.Values.Add(value);
        await state.WriteStateAsync();
        return Snapshot();
    }

    public Task<SqliteStandaloneTestSnapshot> GetAsync() => Task.FromResult(Snapshot());

    private SqliteStandaloneTestSnapshot Snapshot() =>
        new(string.Join(",", state.State.Values), state.Etag, state.RecordExists);
}

/// <summary>Persistent state of <see cref="SqliteStandaloneTestGrain"/>; like production states, only <c>[GenerateSerializer]</c>.</summary>
[GenerateSerializer, Alias("gw.tests.sqlite-standalone-state")]
public sealed class SqliteStandaloneTestState
{
    [Id(0)]
    public List<string> Values { get; set; } = [];
}
