namespace Gateway.Grains.Storage.Postgres;

/// <summary>What one run of <see cref="PostgresMigrator.MigrateAsync(string, Microsoft.Extensions.Logging.ILogger?, CancellationToken)"/> did.</summary>
/// <param name="Applied">Migrations this run applied, in version order (names like <c>0002_gateway</c>).</param>
/// <param name="AlreadyApplied">Migrations found already applied (by an earlier run or a concurrent process).</param>
public sealed record MigrationResult(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied);
