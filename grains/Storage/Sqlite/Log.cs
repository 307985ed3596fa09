using Microsoft.Extensions.Logging;

namespace Gateway.Grains.Storage.Sqlite;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied SQLite migration {Migration} to {DatabasePath}")]
    public static partial void SqliteMigrationApplied(this ILogger logger, string migration, string databasePath);

    [LoggerMessage(2, LogLevel.Debug, "SQLite schema of {DatabasePath} is up to date ({Count} migrations applied)")]
    public static partial void SqliteSchemaUpToDate(this ILogger logger, string databasePath, int count);

    [LoggerMessage(3, LogLevel.Warning,
        "SQLite file {DatabasePath} records migration {Version} ({Migration}) that this build does not know; it was probably written by a newer version")]
    public static partial void SqliteMigrationUnknown(this ILogger logger, int version, string migration, string databasePath);

    [LoggerMessage(4, LogLevel.Information, "SQLite grain storage {StorageName} ready on {DatabasePath}")]
    public static partial void SqliteGrainStorageReady(this ILogger logger, string storageName, string databasePath);

    [LoggerMessage(5, LogLevel.Debug,
        "SQLite grain storage {StorageName}: etag conflict on {Operation} of state {StateName} of {GrainId} (expected {ExpectedEtag}, stored {StoredEtag})")]
    public static partial void SqliteGrainStorageEtagConflict(
        this ILogger logger, string storageName, string operation, string stateName, GrainId grainId, string? expectedEtag, string? storedEtag);
}
