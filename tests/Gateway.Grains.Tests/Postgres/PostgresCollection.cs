namespace Gateway.Grains.Tests.Postgres;

/// <summary>
/// All Postgres tests share one server (started once per test run, or the CI server named by
/// GATEWAY_TEST_POSTGRES) and run one after another; each test works in its own fresh database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Postgres";
}
