namespace Gateway.Grains.Storage.Sqlite;

/// <summary>What <see cref="SqliteMigrator.MigrateAsync(string, Microsoft.Extensions.Logging.ILogger?, CancellationToken)"/> did, by script name (<c>0001_gateway</c>).</summary>
public sealed record SqliteMigrationResult(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied);
