using System.Security.Cryptography;
using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Grains.Tenants;

/// <summary>
/// One tenant and its keys (SPEC §16.1). Every change to a key's secrets is pushed to the hash grains
/// (<see cref="IApiKeyGrain"/>) before the call returns, so front ends only ever ask the hash grain.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", "gateway")] IPersistentState<TenantState> state,
    TimeProvider time) : Grain, ITenantGrain
{
    private string Id => this.GetPrimaryKeyString();

    private bool IsDefault => string.Equals(Id, ITenantGrain.DefaultTenantId, StringComparison.Ordinal);

    private bool Live => state.State is { Exists: true, Deleted: false };

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // SPEC §1.2: tenant "default" always exists; it is created the first time anything asks for it.
        if (IsDefault && !Live)
        {
            await CreateAsync(TenantSettings.Named("Default"));
        }
    }

    public async Task<TenantResult> CreateAsync(TenantSettings settings)
    {
        if (state.State.Exists)
        {
            return TenantResult.Of(TenantOutcome.Conflict);
        }
        var now = time.GetUtcNow();
        state.State = new TenantState { Exists = true, Settings = settings, CreatedAt = now, UpdatedAt = now };
        await state.WriteStateAsync();
        await Directory.AddTenantAsync(Id);
        await PushLimitsAsync(settings);
        return new TenantResult(TenantOutcome.Ok, Info(), []);
    }

    public Task<TenantInfo?> GetAsync() => Task.FromResult(Live ? Info() : null);

    public async Task<TenantResult> UpdateAsync(TenantSettings settings)
    {
        if (!Live)
        {
            return TenantResult.Of(TenantOutcome.NotFound);
        }
        state.State.Settings = settings;
        state.State.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        await PushLimitsAsync(settings);
        return new TenantResult(TenantOutcome.Ok, Info(), []);
    }

    /// <summary>Limits are enforced by the tenant's admission grain (SPEC §16.2); it learns them from here.</summary>
    private Task PushLimitsAsync(TenantSettings settings)
    {
        var limits = settings.Limits;
        var budget = settings.Budget;
        return GrainFactory.GetGrain<Abstractions.Limits.ITenantAdmissionGrain>(Id).SetLimitsAsync(new Abstractions.Limits.AdmissionLimits(
            limits?.Rpm, limits?.Tpm, limits?.ConcurrentStreams, limits?.MinIntervalSeconds,
            MonthlyBudgetNanos: budget?.Monthly is { } monthly ? (long)decimal.Round(monthly * 1_000_000_000m) : null,
            BudgetCurrency: budget?.Monthly is null ? null : budget.Currency ?? Abstractions.Limits.AdmissionLimits.DefaultCurrency));
    }

    public async Task<TenantResult> DeleteAsync()
    {
        if (!Live)
        {
            return TenantResult.Of(TenantOutcome.NotFound);
        }
        if (IsDefault)
        {
            return TenantResult.Of(TenantOutcome.Refused);
        }
        var now = time.GetUtcNow();
        var info = Info();
        var revoked = new List<string>();
        foreach (var key in state.State.Keys)
        {
            revoked.AddRange(await RevokeSecretsAsync(key, now));
        }
        state.State.Deleted = true;
        state.State.UpdatedAt = now;
        await state.WriteStateAsync();
        await Directory.RemoveTenantAsync(Id);
        return new TenantResult(TenantOutcome.Ok, info, revoked);
    }

    public async Task<ApiKeyResult> CreateKeyAsync(NewApiKey key)
    {
        if (!Live)
        {
            return ApiKeyResult.Of(ApiKeyOutcome.TenantNotFound);
        }
        var entry = new TenantKeyState
        {
            // SPEC §16.1 key ids: "key_" + 16 hex characters, stable across rotation.
            Id = "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = key.Name,
            Prefix = key.Prefix,
            Hash = key.Hash,
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = key.ExpiresAt,
        };
        // Hash grain and index first: a key listed by the tenant always resolves.
        await HashGrain(entry.Hash).SetAsync(new ApiKeyRecord(Id, entry.Id, entry.ExpiresAt, null));
        await Directory.AddKeyAsync(entry.Id, Id);
        state.State.Keys.Add(entry);
        state.State.UpdatedAt = entry.CreatedAt;
        await state.WriteStateAsync();
        return new ApiKeyResult(ApiKeyOutcome.Ok, KeyInfo(entry), [entry.Hash]);
    }

    public Task<IReadOnlyList<ApiKeyInfo>?> ListKeysAsync()
        => Task.FromResult<IReadOnlyList<ApiKeyInfo>?>(Live ? state.State.Keys.Select(KeyInfo).ToArray() : null);

    public async Task<ApiKeyResult> RevokeKeyAsync(string keyId)
    {
        if (!Live)
        {
            return ApiKeyResult.Of(ApiKeyOutcome.TenantNotFound);
        }
        if (FindKey(keyId) is not { } entry)
        {
            return ApiKeyResult.Of(ApiKeyOutcome.KeyNotFound);
        }
        var now = time.GetUtcNow();
        var affected = await RevokeSecretsAsync(entry, now);
        entry.RevokedAt ??= now;
        state.State.UpdatedAt = now;
        await state.WriteStateAsync();
        return new ApiKeyResult(ApiKeyOutcome.Ok, KeyInfo(entry), affected);
    }

    public async Task<ApiKeyResult> RotateKeyAsync(string keyId, NewApiKey replacement, TimeSpan grace)
    {
        if (!Live)
        {
            return ApiKeyResult.Of(ApiKeyOutcome.TenantNotFound);
        }
        if (FindKey(keyId) is not { } entry)
        {
            return ApiKeyResult.Of(ApiKeyOutcome.KeyNotFound);
        }
        if (entry.RevokedAt is not null)
        {
            return ApiKeyResult.Of(ApiKeyOutcome.Revoked);
        }
        var now = time.GetUtcNow();
        var oldHash = entry.Hash;
        var until = now + (grace < TimeSpan.Zero ? TimeSpan.Zero : grace);
        await HashGrain(replacement.Hash).SetAsync(new ApiKeyRecord(Id, entry.Id, entry.ExpiresAt, null));
        await HashGrain(oldHash).RevokeAsync(until);
        entry.Hash = replacement.Hash;
        entry.Prefix = replacement.Prefix;
        entry.Retired.RemoveAll(r => r.Until <= now);
        if (until > now)
        {
            entry.Retired.Add(new RetiredSecret { Hash = oldHash, Until = until });
        }
        state.State.UpdatedAt = now;
        await state.WriteStateAsync();
        return new ApiKeyResult(ApiKeyOutcome.Ok, KeyInfo(entry), [oldHash, replacement.Hash]);
    }

    /// <summary>Stops the current secret and every secret still in a grace window; returns their hashes.</summary>
    private async Task<List<string>> RevokeSecretsAsync(TenantKeyState entry, DateTimeOffset now)
    {
        var hashes = new List<string> { entry.Hash };
        hashes.AddRange(entry.Retired.Where(r => r.Until > now).Select(r => r.Hash));
        foreach (var hash in hashes)
        {
            await HashGrain(hash).RevokeAsync(now);
        }
        entry.Retired.Clear();
        return hashes;
    }

    private TenantKeyState? FindKey(string keyId) => state.State.Keys.Find(k => string.Equals(k.Id, keyId, StringComparison.Ordinal));

    private IApiKeyGrain HashGrain(string hash) => GrainFactory.GetGrain<IApiKeyGrain>(hash);

    private ITenantDirectoryGrain Directory => GrainFactory.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.DefaultKey);

    private TenantInfo Info() => new(Id, state.State.Settings!, state.State.CreatedAt, state.State.UpdatedAt, state.State.Keys.Select(k => k.Id).ToArray());

    private ApiKeyInfo KeyInfo(TenantKeyState k) => new(k.Id, Id, k.Name, k.Prefix, k.CreatedAt, k.ExpiresAt, k.RevokedAt);
}
