using Orleans.Storage;

namespace Gateway.Grains.Storage.Sqlite;

/// <summary>Options of one named <see cref="SqliteGrainStorage"/>.</summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Path of the SQLite file; created (owner-only) with its directory on first start.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// Silo lifecycle stage at which the schema is migrated. Before application services, so no grain can activate
    /// (and read its state) before <c>grain_state</c> exists.
    /// </summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>
    /// Serialiser for state payloads. Left unset, Orleans' configured <see cref="IGrainStorageSerializer"/> is used
    /// (set by <see cref="DefaultStorageProviderSerializerOptionsConfigurator{TOptions}"/>).
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
