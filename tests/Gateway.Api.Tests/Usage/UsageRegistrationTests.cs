using Gateway.Api.Hosting;
using Gateway.Api.Usage;
using Gateway.Grains.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Api.Tests.Usage;

/// <summary><c>AddGatewayUsage</c>: the store and defaults per mode, and start-up validation of <c>Gateway:usage</c>.</summary>
public sealed class UsageRegistrationTests
{
    [Fact]
    public void Standalone_UsesSqliteTheDataDirJournalAndTheLocalZone()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gw-usage-reg-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection().AddGatewayUsage(new GatewayOptions { DataDir = dataDir }, null, Configuration());
        try
        {
            using var provider = services.BuildServiceProvider();
            var options = provider.GetRequiredService<UsageOptions>();

            Assert.IsType<SqliteUsageStore>(provider.GetRequiredService<IUsageStore>());
            Assert.Equal(Path.Combine(dataDir, "usage-journal"), options.JournalDirectory);
            Assert.Equal(TimeZoneInfo.Local.Id, options.TimeZone);
            Assert.Same(provider.GetRequiredService<UsageRecorder>(), provider.GetRequiredService<IUsageRecorder>());
            Assert.Equal(options.JournalDirectory, provider.GetRequiredService<UsageJournal>().DirectoryPath);
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    [Fact]
    public void Cluster_UsesPostgresATempJournalPerDatabaseAndUtc()
    {
        const string connection = "Host=db;Port=5432;Database=gateway;Username=gw";
        var services = new ServiceCollection().AddGatewayUsage(
            new GatewayOptions { Mode = "cluster" }, connection, Configuration(("Gateway:usage:queueCapacity", "42")));

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<UsageOptions>();

        Assert.IsType<PostgresUsageStore>(provider.GetRequiredService<IUsageStore>());
        Assert.Equal("UTC", options.TimeZone);
        Assert.Equal(42, options.QueueCapacity);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "gateway-usage-journal"), Path.GetDirectoryName(options.JournalDirectory));
        Assert.Matches("^[0-9a-f]{16}$", Path.GetFileName(options.JournalDirectory));
    }

    [Fact]
    public void InvalidSettings_RefuseToStartListingEveryProblem()
    {
        var error = Assert.Throws<GatewayStartupException>(() => new ServiceCollection().AddGatewayUsage(
            new GatewayOptions { DataDir = Path.GetTempPath() },
            null,
            Configuration(("Gateway:usage:timeZone", "Mars/Olympus"), ("Gateway:usage:queueCapacity", "0"), ("Gateway:usage:batchSize", "0"))));

        Assert.Equal(
        [
            "usage.timeZone 'Mars/Olympus' is not a known time zone (use an IANA name such as Europe/Berlin).",
            "usage.queueCapacity must be at least 1.",
            "usage.batchSize must be at least 1.",
        ], error.Problems);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values)
        => new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
