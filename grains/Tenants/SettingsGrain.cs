using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Grains.Tenants;

[GenerateSerializer, Alias("gw.SettingsState")]
public sealed class SettingsState
{
    [Id(0)] public Dictionary<string, string>? ModelMappings { get; set; }
    [Id(1)] public long Version { get; set; }
}

/// <summary>Admin-edited settings of a cluster (SPEC §0, §13.3), persisted in the grain store (Postgres).</summary>
public sealed class SettingsGrain(
    [PersistentState("settings", "gateway")] IPersistentState<SettingsState> state,
    TimeProvider time) : Grain, ISettingsGrain
{
    public Task<ModelMappingsSnapshot> GetModelMappingsAsync() => Task.FromResult(Snapshot());

    public async Task<ModelMappingsSnapshot> SetModelMappingsAsync(IReadOnlyDictionary<string, string> mappings)
    {
        state.State.ModelMappings = new Dictionary<string, string>(mappings, StringComparer.Ordinal);
        // Ticks rather than a counter: front ends compare versions, which must not repeat if the state is ever reset.
        state.State.Version = Math.Max(state.State.Version + 1, time.GetUtcNow().UtcTicks);
        await state.WriteStateAsync();
        return Snapshot();
    }

    private ModelMappingsSnapshot Snapshot()
        => new(state.State.Version, state.State.ModelMappings is { } m ? new Dictionary<string, string>(m, StringComparer.Ordinal) : null);
}
