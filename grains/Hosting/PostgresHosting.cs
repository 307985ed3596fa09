using Orleans.Configuration;
using Orleans.Hosting;

namespace Gateway.Grains.Hosting;

/// <summary>
/// Cluster mode (DESIGN.md §1, §4): Orleans clustering, grain state and reminders on Postgres through the ADO.NET
/// providers. The schema they need comes from <see cref="Storage.Postgres.PostgresMigrator"/>; run it first.
/// </summary>
public static class PostgresHosting
{
    /// <summary>The ADO.NET invariant name under which Orleans finds Npgsql's provider factory.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The grain storage name every grain's <c>[PersistentState(..., "gateway")]</c> refers to.</summary>
    public const string GrainStorageName = "gateway";

    /// <summary>Silo side: ADO.NET clustering, grain storage <c>"gateway"</c> and ADO.NET reminders on one database.</summary>
    public static ISiloBuilder UsePostgresCluster(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        builder.UseAdoNetClustering((AdoNetClusteringSiloOptions options) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        builder.AddAdoNetGrainStorage(GrainStorageName, (AdoNetGrainStorageOptions options) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
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
