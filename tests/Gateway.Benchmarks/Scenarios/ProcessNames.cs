namespace Gateway.Benchmarks.Scenarios;

/// <summary>The names under which processes are sampled.</summary>
public static class ProcessNames
{
    public const string Gateway = "gateway";
    public const string Fake = "fake";
    public const string LoadGenerator = "loadgen";
}
