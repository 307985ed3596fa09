using Orleans.Storage;

namespace Gateway.Grains.Storage.Postgres;

/// <summary>
/// Puts the grain type into the state name before handing a call to the ADO.NET grain storage.
/// </summary>
/// <remarks>
/// Since Orleans 7 the ADO.NET provider keys a row by the grain's key and the state name only; the grain type is
/// dropped (dotnet/orleans#8746, #9737). Two grain classes with the same key and state name, say a tenant grain
/// and a usage grain both keyed "acme" with <c>[PersistentState("state", "gateway")]</c>, would share one row and
/// overwrite each other. With the type in front ("tenant/state") each grain type gets its own row, as with the
/// other Orleans providers, which key by the whole GrainId. A grain class that is renamed must keep its grain type
/// (<c>[GrainType("...")]</c>) to find its old state, as with those providers.
/// </remarks>
internal sealed class GrainTypeScopedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => inner.ReadStateAsync(Scope(stateName, grainId), grainId, grainState);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
        => inner.ReadStateAsync(Scope(stateName, grainId), grainId, grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => inner.WriteStateAsync(Scope(stateName, grainId), grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
        => inner.WriteStateAsync(Scope(stateName, grainId), grainId, grainState, cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => inner.ClearStateAsync(Scope(stateName, grainId), grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
        => inner.ClearStateAsync(Scope(stateName, grainId), grainId, grainState, cancellationToken);

    internal static string Scope(string stateName, GrainId grainId) => $"{grainId.Type}/{stateName}";
}
