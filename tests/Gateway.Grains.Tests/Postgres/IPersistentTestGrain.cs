namespace Gateway.Grains.Tests.Postgres;

/// <summary>A grain whose only job is to exercise the "gateway" grain storage.</summary>
[Alias("gw.tests.IPersistentTestGrain")]
public interface IPersistentTestGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task<PersistentTestSnapshot> SetAsync(string value);

    [Alias("Get")]
    Task<PersistentTestSnapshot> GetAsync();

    [Alias("Clear")]
    Task<PersistentTestSnapshot> ClearAsync();
}

/// <summary>The grain's view of its persistent state after an operation.</summary>
[GenerateSerializer, Immutable, Alias("gw.tests.PersistentTestSnapshot")]
public sealed record PersistentTestSnapshot(
    [property: Id(0)] string? Value,
    [property: Id(1)] string? ETag,
    [property: Id(2)] bool RecordExists);
