using Gateway.Grains.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Gateway.Grains.Hosting;

/// <summary>
/// Cluster mode (DESIGN.md §1, §4): Orleans clustering, grain state and reminders on Postgres through the ADO.NET
/// providers. The schema they need comes from <see cref="PostgresMigrator"/>; run it first.
/// </summary>
public static class PostgresHosting
{
    /// <summary>The ADO.NET invariant name under which Orleans finds Npgsql's provider factory.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The grain storage name every grain's <c>[PersistentState(..., "gateway")]</c> refers to.</summary>
    public const string GrainStorageName = "gateway";

    /// <summary>The ADO.NET provider itself, registered under its own name and wrapped by <see cref="GrainStorageName"/>.</summary>
    private const string AdoNetGrainStorageName = "gateway-adonet";

    /// <summary>
    /// Silo side: ADO.NET clustering, grain storage <c>"gateway"</c> (ADO.NET, with rows scoped by grain type; see
    /// <see cref="GrainTypeScopedGrainStorage"/>) and ADO.NET reminders, all on one database.
    /// </summary>
    public static ISiloBuilder UsePostgresCluster(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        builder.UseAdoNetClustering((AdoNetClusteringSiloOptions options) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        builder.AddAdoNetGrainStorage(AdoNetGrainStorageName, (AdoNetGrainStorageOptions options) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        // The ADO.NET provider registers its own start-up (reading its queries); the wrapper only renames states.
        builder.Services.AddGrainStorage(GrainStorageName, (services, _) =>
            new GrainTypeScopedGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(AdoNetGrainStorageName)));
        builder.UseAdoNetReminderService((AdoNetReminderTableOptions options) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return builder;
    }

    /// <summary>Client side (the API front ends): find the silos' gateways in the Postgres membership table.</summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        return builder.UseAdoNetClustering((AdoNetClusteringClientOptions options) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
    }
}
