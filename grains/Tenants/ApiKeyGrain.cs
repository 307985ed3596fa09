using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Grains.Tenants;

[GenerateSerializer, Alias("gw.ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)] public ApiKeyRecord? Record { get; set; }
}

/// <summary>
/// One key secret, keyed by its SHA-256 hash (DESIGN §3). Resolution checks revocation (including a rotation's
/// scheduled end) and expiry against the current time, so a key stops at its exact moment however it is cached.
/// </summary>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", "gateway")] IPersistentState<ApiKeyState> state,
    TimeProvider time) : Grain, IApiKeyGrain
{
    public Task<ApiKeyResolution?> ResolveAsync()
    {
        if (state.State.Record is not { } record)
        {
            return Task.FromResult<ApiKeyResolution?>(null);
        }
        var now = time.GetUtcNow();
        if (record.RevokedAt <= now || record.ExpiresAt <= now)
        {
            return Task.FromResult<ApiKeyResolution?>(null);
        }
        DateTimeOffset? validUntil = (record.ExpiresAt, record.RevokedAt) switch
        {
            ({ } e, { } r) => e < r ? e : r,
            ({ } e, null) => e,
            (null, var r) => r,
        };
        return Task.FromResult<ApiKeyResolution?>(new ApiKeyResolution(record.TenantId, record.KeyId, validUntil));
    }

    public async Task SetAsync(ApiKeyRecord record)
    {
        state.State.Record = record;
        await state.WriteStateAsync();
    }

    public async Task RevokeAsync(DateTimeOffset at)
    {
        if (state.State.Record is not { } record || record.RevokedAt <= at)
        {
            return;
        }
        state.State.Record = record with { RevokedAt = at };
        await state.WriteStateAsync();
    }
}
