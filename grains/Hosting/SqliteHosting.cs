using Gateway.Grains.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Gateway.Grains.Hosting;

/// <summary>
/// Standalone mode (DESIGN.md §1, §4): one process with a co-hosted silo whose grain state lives in the same SQLite
/// file as the gateway's tables, so a restart loses nothing.
/// </summary>
public static class SqliteHosting
{
    /// <summary>The grain storage name every grain's <c>[PersistentState(..., "gateway")]</c> refers to.</summary>
    public const string GrainStorageName = "gateway";

    /// <summary>
    /// Registers <see cref="SqliteGrainStorage"/> under <paramref name="name"/> on the file at
    /// <paramref name="databasePath"/>. The silo migrates the file (<see cref="SqliteMigrator"/>) while starting,
    /// before any grain can read state.
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);

        builder.Services.AddOptions<SqliteGrainStorageOptions>(name)
            .Configure(options => options.DatabasePath = databasePath);
        // Fills GrainStorageSerializer from the silo's IGrainStorageSerializer, as Orleans' own providers do.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<
            IPostConfigureOptions<SqliteGrainStorageOptions>,
            DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>());
        builder.Services.AddGrainStorage(name, SqliteGrainStorage.Create);
        return builder;
    }

    /// <summary>
    /// Everything standalone needs from Orleans: localhost clustering, SQLite grain storage <c>"gateway"</c> and
    /// in-memory reminders (they do not survive a restart: a grain that needs one registers it again on activation).
    /// The ports default to Orleans' own; pass others when something else on the machine already uses them.
    /// </summary>
    public static ISiloBuilder UseSqliteStandalone(
        this ISiloBuilder builder,
        string databasePath,
        int siloPort = EndpointOptions.DEFAULT_SILO_PORT,
        int gatewayPort = EndpointOptions.DEFAULT_GATEWAY_PORT)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);

        builder.UseLocalhostClustering(siloPort, gatewayPort);
        builder.AddSqliteGrainStorage(GrainStorageName, databasePath);
        builder.UseInMemoryReminderService();
        return builder;
    }
}
