namespace Gateway.Grains.Abstractions.Tenants;

/// <summary>
/// Settings edited through the admin API in cluster mode (SPEC §0: stored in Postgres, every front end picks them up
/// within seconds). Single key <see cref="DefaultKey"/>. Today: <c>modelMappings</c> (SPEC §13.3).
/// </summary>
[Alias("gw.ISettingsGrain")]
public interface ISettingsGrain : IGrainWithStringKey
{
    public const string DefaultKey = "default";

    [Alias("GetModelMappings")]
    Task<ModelMappingsSnapshot> GetModelMappingsAsync();

    [Alias("SetModelMappings")]
    Task<ModelMappingsSnapshot> SetModelMappingsAsync(IReadOnlyDictionary<string, string> mappings);
}

/// <param name="Version">Changes on every edit; 0 with null <see cref="Mappings"/> means never edited (use the configuration).</param>
[GenerateSerializer, Immutable, Alias("gw.ModelMappingsSnapshot")]
public sealed record ModelMappingsSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyDictionary<string, string>? Mappings);
