using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Grains.Hosting;

// Interim until the SQLite and Postgres storage work lands; removed then.
public static class InterimStorage
{
    public static ISiloBuilder UseSqliteStandalone(this ISiloBuilder silo, string databasePath)
    {
        silo.AddMemoryGrainStorage("gateway");
        silo.UseInMemoryReminderService();
        return silo;
    }

    public static ISiloBuilder UsePostgresCluster(this ISiloBuilder silo, string connectionString)
        => throw new NotSupportedException("Postgres clustering is not wired yet.");

    public static IClientBuilder UsePostgresClustering(this IClientBuilder client, string connectionString)
        => throw new NotSupportedException("Postgres clustering is not wired yet.");
}
