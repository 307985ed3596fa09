using Gateway.Grains.Hosting;

namespace Gateway.Grains.Tests.Postgres;

public sealed class SecondPersistentTestGrain(
    [PersistentState("s", PostgresHosting.GrainStorageName)] IPersistentState<PersistentTestState> state)
    : Grain, ISecondPersistentTestGrain
{
    public async Task<PersistentTestSnapshot> SetAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        return await GetAsync();
    }

    public Task<PersistentTestSnapshot> GetAsync()
        => Task.FromResult(new PersistentTestSnapshot(state.State.Value, state.Etag, state.RecordExists));
}
