using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Grains.Hosting;

// Interim until the SQLite storage work lands; removed then.
public static class InterimStorage
{
    public static ISiloBuilder UseSqliteStandalone(this ISiloBuilder silo, string databasePath)
    {
        silo.AddMemoryGrainStorage("gateway");
        silo.UseInMemoryReminderService();
        return silo;
    }
}
