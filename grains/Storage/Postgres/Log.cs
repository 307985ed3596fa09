using Microsoft.Extensions.Logging;

namespace Gateway.Grains.Storage.Postgres;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied Postgres migration {Name} in {ElapsedMs} ms")]
    public static partial void MigrationApplied(this ILogger logger, string name, long elapsedMs);

    [LoggerMessage(2, LogLevel.Debug, "Postgres migration {Name} is already applied")]
    public static partial void MigrationAlreadyApplied(this ILogger logger, string name);

    [LoggerMessage(3, LogLevel.Warning,
        "The database has migration {Version} ({Name}) that this build does not know; a newer version of the gateway has migrated it")]
    public static partial void UnknownMigrationInDatabase(this ILogger logger, int version, string name);

    [LoggerMessage(4, LogLevel.Information, "Postgres schema is up to date ({Applied} applied now, {Existing} already applied)")]
    public static partial void MigrationsFinished(this ILogger logger, int applied, int existing);
}
