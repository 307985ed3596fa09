using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Hosting;
using Gateway.Grains.Abstractions.Tenants;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Admin;

/// <summary>
/// The current <c>modelMappings</c> (SPEC §13.3). Starts from the configuration (built-in defaults under the user's
/// entries); <c>POST /admin/config/model-mappings</c> replaces it, persisting to <c>config.json</c> (standalone) or
/// to <see cref="ISettingsGrain"/> (cluster, which other front ends poll through <see cref="ModelMappingsRefresher"/>).
/// Readers get an immutable snapshot, swapped atomically.
/// </summary>
public sealed class ModelMappingsStore
{
    private readonly IGrainFactory _grains;
    private readonly bool _cluster;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _applyLock = new();
    private volatile IReadOnlyDictionary<string, string> _current;
    private long _version;

    public ModelMappingsStore(IOptions<GatewayOptions> options, IGrainFactory grains)
    {
        _grains = grains;
        _cluster = options.Value.IsCluster;
        ConfigPath = _cluster ? null : Path.Combine(options.Value.ResolveDataDir(), StandaloneConfigFile.FileName);
        var merged = new Dictionary<string, string>(Messages.ModelMappings.Defaults, StringComparer.Ordinal);
        foreach (var (key, value) in options.Value.ModelMappings)
        {
            merged[key] = value;
        }
        _current = merged;
    }

    /// <summary>The standalone <c>config.json</c>; null in cluster mode.</summary>
    public string? ConfigPath { get; }

    public IReadOnlyDictionary<string, string> Current => _current;

    /// <summary>Replaces the whole map, persists it and applies it on this front end at once.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReplaceAsync(IReadOnlyDictionary<string, string> mappings, CancellationToken ct)
    {
        var copy = new Dictionary<string, string>(mappings, StringComparer.Ordinal);
        if (_cluster)
        {
            Apply(await _grains.GetGrain<ISettingsGrain>(ISettingsGrain.DefaultKey).SetModelMappingsAsync(copy));
            return _current;
        }
        await _writeLock.WaitAsync(ct);
        try
        {
            // Only modelMappings changes; every other field of the file stays as it is (SPEC §13.3).
            var root = File.Exists(ConfigPath)
                ? JsonNode.Parse(await File.ReadAllTextAsync(ConfigPath!, ct), documentOptions: new JsonDocumentOptions
                {
                    CommentHandling = JsonCommentHandling.Skip,
                    AllowTrailingCommas = true,
                }) as JsonObject ?? []
                : [];
            var map = new JsonObject();
            foreach (var (key, value) in copy)
            {
                map[key] = value;
            }
            root["modelMappings"] = map;
            StandaloneConfigFile.WriteAtomic(ConfigPath!, root);
            _current = copy;
            return copy;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Cluster: picks up an edit made through another front end.</summary>
    public async Task RefreshAsync()
    {
        if (_cluster)
        {
            Apply(await _grains.GetGrain<ISettingsGrain>(ISettingsGrain.DefaultKey).GetModelMappingsAsync());
        }
    }

    private void Apply(ModelMappingsSnapshot snapshot)
    {
        lock (_applyLock)
        {
            if (snapshot.Mappings is { } mappings && snapshot.Version > _version)
            {
                _version = snapshot.Version;
                _current = new Dictionary<string, string>(mappings, StringComparer.Ordinal);
            }
        }
    }
}
