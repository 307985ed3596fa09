using Gateway.Grains.Hosting;

namespace Gateway.Grains.Tests.Postgres;

public sealed class PersistentTestGrain(
    [PersistentState("s", PostgresHosting.GrainStorageName)] IPersistentState<PersistentTestState> state)
    : Grain, IPersistentTestGrain
{
    public async Task<PersistentTestSnapshot> SetAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        return Snapshot();
    }

    public Task<PersistentTestSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<PersistentTestSnapshot> ClearAsync()
    {
        await state.ClearStateAsync();
        return Snapshot();
    }

    private PersistentTestSnapshot Snapshot() => new(state.State.Value, state.Etag, state.RecordExists);
}
