namespace Gateway.Grains.Tests.Postgres;

[GenerateSerializer, Alias("gw.tests.PersistentTestState")]
public sealed class PersistentTestState
{
    [Id(0)]
    public string? Value { get; set; }
}
