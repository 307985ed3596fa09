namespace Gateway.Grains.Tests.Sqlite;

/// <summary>A grain with one persistent state on the <c>"gateway"</c> storage, for restart tests.</summary>
[Alias("gw.tests.ISqliteStandaloneTestGrain")]
public interface ISqliteStandaloneTestGrain : IGrainWithStringKey
{
    /// <summary>Appends <paramref name="value"/> to the state and writes it.</summary>
    [Alias("Append")]
    Task<SqliteStandaloneTestSnapshot> AppendAsync(string value);

    [Alias("Get")]
    Task<SqliteStandaloneTestSnapshot> GetAsync();
}

/// <summary>What the grain's persistent state looks like from outside.</summary>
[GenerateSerializer, Immutable, Alias("gw.tests.sqlite-standalone-snapshot")]
public sealed record SqliteStandaloneTestSnapshot(
    [property: Id(0)] string Values,
    [property: Id(1)] string? ETag,
    [property: Id(2)] bool RecordExists);
