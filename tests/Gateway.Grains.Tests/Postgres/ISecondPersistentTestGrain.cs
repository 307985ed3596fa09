namespace Gateway.Grains.Tests.Postgres;

/// <summary>
/// A second grain type with the same state name and key shape as <see cref="IPersistentTestGrain"/>, to show that
/// grain types do not share rows.
/// </summary>
[Alias("gw.tests.ISecondPersistentTestGrain")]
public interface ISecondPersistentTestGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task<PersistentTestSnapshot> SetAsync(string value);

    [Alias("Get")]
    Task<PersistentTestSnapshot> GetAsync();
}
