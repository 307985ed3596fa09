using Gateway.Grains.GitHub;
using Gateway.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Gateway.Grains.Tests.Accounts;

/// <summary>
/// The in-process Orleans test cluster of the grain tests (accounts, sessions, limits, tenants), on fake time; account
/// grains talk to <see cref="StubGitHub"/>. Tests share it, so each uses its own grain keys.
/// </summary>
public sealed class AccountClusterFixture : IAsyncLifetime
{
    // Silo configurators are created by type, so they reach the shared fakes through statics.
    internal static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    internal static readonly StubGitHub GitHub = new() { Now = () => Time.GetUtcNow() };

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:mode"] = "cluster",
                ["Gateway:upstreams:githubApiUrl"] = "https://github-api.example.test",
                ["Gateway:upstreams:vscodeVersionUrl"] = "",
                ["Gateway:encryptionKey"] = Convert.ToBase64String(new byte[32]),
            }).Build();
            siloBuilder.Services.AddSingleton<TimeProvider>(Time);
            siloBuilder.Services.AddGatewayCore(configuration);
            siloBuilder.Services.AddHttpClient(GitHubClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => GitHub).SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            siloBuilder.AddMemoryGrainStorage("gateway");
        }
    }
}
