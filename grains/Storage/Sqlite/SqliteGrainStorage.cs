using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Gateway.Grains.Storage.Sqlite;

/// <summary>
/// Orleans grain storage on the standalone SQLite file (DESIGN.md §1, §4): one row per (grain type, grain key,
/// state name) in <c>grain_state</c>, payloads written by Orleans' configured <see cref="IGrainStorageSerializer"/>.
/// </summary>
/// <remarks>
/// <para>Concurrency is optimistic, like the other Orleans providers: every write stores a new random etag and only
/// succeeds if the stored etag is still the one the activation read (or, for a first write, if no row exists);
/// otherwise it throws <see cref="InconsistentStateException"/>. Each check-and-write is a single statement, so
/// SQLite's own write lock makes it atomic without a read-then-write transaction.</para>
/// <para>Clearing deletes the row (no tombstone). Etags are random, never counters, so a state that is cleared and
/// written again cannot hand out an etag that a stale activation still holds.</para>
/// <para>Microsoft.Data.Sqlite completes its async calls synchronously, and SQLite allows one writer at a time, so
/// writers in this process first queue on an async gate: a grain waiting for its turn yields its thread instead of
/// sleeping inside SQLite's busy handler. Reads run concurrently under WAL. Connections come from
/// Microsoft.Data.Sqlite's pool, one per operation.</para>
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly SqliteGrainStorageOptions _options;
    private readonly string _connectionString;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteGrainStorage(
        string name,
        SqliteGrainStorageOptions options,
        IActivatorProvider activatorProvider,
        TimeProvider timeProvider,
        ILogger<SqliteGrainStorage> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath);
        _name = name;
        _options = options;
        _connectionString = SqliteDatabase.CreateConnectionString(options.DatabasePath);
        _serializer = options.GrainStorageSerializer
            ?? throw new InvalidOperationException($"SQLite grain storage '{name}' has no grain storage serializer.");
        _activatorProvider = activatorProvider;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Factory for <c>AddGrainStorage</c>: the named options, the rest from the silo's services.</summary>
    public static SqliteGrainStorage Create(IServiceProvider services, string name) =>
        new(
            name,
            services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name),
            services.GetRequiredService<IActivatorProvider>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILogger<SqliteGrainStorage>>());

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{_name}", _options.InitStage, InitializeAsync);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await SqliteDatabase.OpenAsync(_connectionString, CancellationToken.None);
        await using var command = CreateKeyedCommand(connection, stateName, grainId, """
            SELECT etag, payload FROM grain_state
            WHERE grain_type = $grain_type AND grain_id = $grain_id AND state_name = $state_name;
            """);
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            var etag = reader.GetString(0);
            var payload = reader.GetFieldValue<byte[]>(1);
            grainState.State = _serializer.Deserialize<T>(new BinaryData(payload));
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        else
        {
            ResetState(grainState);
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = ToArray(_serializer.Serialize(grainState.State));
        var expectedEtag = grainState.ETag;
        var newEtag = Guid.CreateVersion7(_timeProvider.GetUtcNow()).ToString("N");

        await _writeGate.WaitAsync();
        try
        {
            await using var connection = await SqliteDatabase.OpenAsync(_connectionString, CancellationToken.None);
            // A first write (no etag) must not overwrite a row another activation created; later writes must match
            // the etag this activation last saw.
            await using var command = CreateKeyedCommand(connection, stateName, grainId, expectedEtag is null
                ? """
                  INSERT INTO grain_state (grain_type, grain_id, state_name, etag, payload, updated_at)
                  VALUES ($grain_type, $grain_id, $state_name, $etag, $payload, $updated_at)
                  ON CONFLICT (grain_type, grain_id, state_name) DO NOTHING;
                  """
                : """
                  UPDATE grain_state SET etag = $etag, payload = $payload, updated_at = $updated_at
                  WHERE grain_type = $grain_type AND grain_id = $grain_id AND state_name = $state_name
                    AND etag = $expected_etag;
                  """);
            command.Parameters.AddWithValue("$etag", newEtag);
            command.Parameters.Add("$payload", SqliteType.Blob).Value = payload;
            command.Parameters.AddWithValue("$updated_at", _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            if (expectedEtag is not null)
            {
                command.Parameters.AddWithValue("$expected_etag", expectedEtag);
            }

            if (await command.ExecuteNonQueryAsync() == 0)
            {
                throw await ConflictAsync(connection, "write", stateName, grainId, expectedEtag);
            }
        }
        finally
        {
            _writeGate.Release();
        }

        grainState.ETag = newEtag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expectedEtag = grainState.ETag;
        await _writeGate.WaitAsync();
        try
        {
            await using var connection = await SqliteDatabase.OpenAsync(_connectionString, CancellationToken.None);
            if (expectedEtag is null)
            {
                // Nothing was read, so there must be nothing to delete; a row here belongs to someone else's write.
                if (await ReadEtagAsync(connection, stateName, grainId) is not null)
                {
                    throw await ConflictAsync(connection, "clear", stateName, grainId, expectedEtag);
                }
            }
            else
            {
                await using var command = CreateKeyedCommand(connection, stateName, grainId, """
                    DELETE FROM grain_state
                    WHERE grain_type = $grain_type AND grain_id = $grain_id AND state_name = $state_name
                      AND etag = $expected_etag;
                    """);
                command.Parameters.AddWithValue("$expected_etag", expectedEtag);
                if (await command.ExecuteNonQueryAsync() == 0)
                {
                    throw await ConflictAsync(connection, "clear", stateName, grainId, expectedEtag);
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }

        ResetState(grainState);
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await SqliteMigrator.MigrateAsync(_options.DatabasePath, _logger, cancellationToken);
        _logger.SqliteGrainStorageReady(_name, Path.GetFullPath(_options.DatabasePath));
    }

    private void ResetState<T>(IGrainState<T> grainState)
    {
        grainState.State = _activatorProvider.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<InconsistentStateException> ConflictAsync(
        SqliteConnection connection, string operation, string stateName, GrainId grainId, string? expectedEtag)
    {
        var storedEtag = await ReadEtagAsync(connection, stateName, grainId);
        _logger.SqliteGrainStorageEtagConflict(_name, operation, stateName, grainId, expectedEtag, storedEtag);
        return new InconsistentStateException(
            $"SQLite grain storage '{_name}': {operation} of state '{stateName}' of {grainId} lost an etag race.",
            storedEtag ?? "(none)",
            expectedEtag ?? "(none)");
    }

    private static async Task<string?> ReadEtagAsync(SqliteConnection connection, string stateName, GrainId grainId)
    {
        await using var command = CreateKeyedCommand(connection, stateName, grainId, """
            SELECT etag FROM grain_state
            WHERE grain_type = $grain_type AND grain_id = $grain_id AND state_name = $state_name;
            """);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static SqliteCommand CreateKeyedCommand(
        SqliteConnection connection, string stateName, GrainId grainId, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$grain_type", grainId.Type.ToString());
        command.Parameters.AddWithValue("$grain_id", grainId.Key.ToString());
        command.Parameters.AddWithValue("$state_name", stateName);
        return command;
    }

    /// <summary>The serialisers hand back a buffer that wraps a whole array; bind it without copying.</summary>
    private static byte[] ToArray(BinaryData data)
    {
        var memory = data.ToMemory();
        return MemoryMarshal.TryGetArray(memory, out var segment)
            && segment.Array is { } array && segment.Offset == 0 && segment.Count == array.Length
            ? array
            : memory.ToArray();
    }
}
