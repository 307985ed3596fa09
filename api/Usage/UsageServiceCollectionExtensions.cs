using Gateway.Api.Hosting;
using Gateway.Grains.Hosting;
using Gateway.Grains.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Api.Usage;

/// <summary>Registers the usage write path and its store for the host's mode (DESIGN §1, §2 step 6, §4).</summary>
public static class UsageServiceCollectionExtensions
{
    /// <summary>
    /// Standalone: SQLite store on <c>&lt;dataDir&gt;/gateway.db</c> (already migrated by the host), journal in
    /// <c>&lt;dataDir&gt;/usage-journal</c>, local time zone. Cluster: Postgres store on
    /// <paramref name="postgresConnectionString"/> (the silos migrate it), journal in
    /// <c>&lt;temp&gt;/gateway-usage-journal/&lt;database tag&gt;</c> unless <c>usage.journalDirectory</c> is set, UTC.
    /// Settings come from <c>Gateway:usage</c> (<see cref="UsageOptions"/>).
    /// </summary>
    public static IServiceCollection AddGatewayUsage(
        this IServiceCollection services, GatewayOptions gateway, string? postgresConnectionString, IConfiguration configuration)
    {
        var options = new UsageOptions();
        configuration.GetSection(UsageOptions.SectionName).Bind(options);
        options.TimeZone ??= gateway.IsCluster ? "UTC" : TimeZoneInfo.Local.Id;
        options.JournalDirectory ??= gateway.IsCluster
            ? Path.Combine(Path.GetTempPath(), "gateway-usage-journal", DatabaseTag(postgresConnectionString))
            : Path.Combine(gateway.ResolveDataDir(), "usage-journal");
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new GatewayStartupException(problems);
        }

        services.AddSingleton(options);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        if (gateway.IsCluster)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(postgresConnectionString);
            // A factory, so that the container disposes the store's data source.
            services.AddSingleton<IUsageStore>(_ => new PostgresUsageStore(postgresConnectionString));
        }
        else
        {
            var databasePath = Path.Combine(gateway.ResolveDataDir(), GatewaySiloHosting.StandaloneDatabaseFile);
            services.AddSingleton<IUsageStore>(_ => new SqliteUsageStore(databasePath));
        }
        services.AddSingleton(sp => new UsageJournal(options.JournalDirectory, sp.GetService<ILogger<UsageJournal>>()));
        services.AddSingleton<UsageMetrics>();
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<IUsageRecorder>(sp => sp.GetRequiredService<UsageRecorder>());
        services.AddHostedService<UsageWriter>();
        return services;
    }

    /// <summary>
    /// Names the default cluster journal folder after the database it feeds (host, port, database), so that records
    /// journalled for one cluster are never replayed into another one sharing the machine.
    /// </summary>
    private static string DatabaseTag(string? connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString ?? "");
        var identity = $"{builder.Host}:{builder.Port}/{builder.Database}";
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..16];
    }

    /// <summary>Every problem at once (STYLE: validation at start-up that lists every problem).</summary>
    public static IReadOnlyList<string> Validate(UsageOptions options)
    {
        var problems = new List<string>();
        if (options.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            problems.Add($"usage.timeZone '{zone}' is not a known time zone (use an IANA name such as Europe/Berlin).");
        }
        if (options.QueueCapacity < 1)
        {
            problems.Add("usage.queueCapacity must be at least 1.");
        }
        if (options.BatchSize < 1)
        {
            problems.Add("usage.batchSize must be at least 1.");
        }
        if (options.BatchDelay < TimeSpan.Zero || options.InitialRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.InitialRetryDelay)
        {
            problems.Add("usage.batchDelay must not be negative, and 0 < usage.initialRetryDelay <= usage.maxRetryDelay.");
        }
        if (options.JournalReplayInterval <= TimeSpan.Zero)
        {
            problems.Add("usage.journalReplayInterval must be positive.");
        }
        return problems;
    }
}
