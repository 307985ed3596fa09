using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Grains.Tests.Tenants;

[Collection(nameof(Accounts.AccountCluster))]
public sealed class TenantGrainTests(Accounts.AccountClusterFixture fixture)
{
    private static readonly TenantSettings Acme = new(
        "Acme",
        new TenantLimits(60, 100_000, 2, 0.5),
        new TenantBudget(100m, "EUR"),
        ["octocat"],
        ["codex"]);

    private IGrainFactory Grains => fixture.Grains;

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static NewApiKey Key(string hash, DateTimeOffset? expiresAt = null) => new("ci", hash, "gk_abcdefg", expiresAt);

    private static string Hash() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    private async Task<(ITenantGrain Tenant, ApiKeyInfo Key, string Hash)> TenantWithKeyAsync(DateTimeOffset? expiresAt = null)
    {
        var tenant = Grains.GetGrain<ITenantGrain>(NewId("t"));
        Assert.Equal(TenantOutcome.Ok, (await tenant.CreateAsync(Acme)).Outcome);
        var hash = Hash();
        var created = await tenant.CreateKeyAsync(Key(hash, expiresAt));
        Assert.Equal(ApiKeyOutcome.Ok, created.Outcome);
        return (tenant, created.Key!, hash);
    }

    /// <summary>Records holding lists compare lists by reference, so compare field by field.</summary>
    private static void AssertTenant(TenantInfo expected, TenantInfo actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Settings.Name, actual.Settings.Name);
        Assert.Equal(expected.Settings.Limits, actual.Settings.Limits);
        Assert.Equal(expected.Settings.Budget, actual.Settings.Budget);
        Assert.Equal(expected.Settings.AccountPool, actual.Settings.AccountPool);
        Assert.Equal(expected.Settings.AllowedProviders, actual.Settings.AllowedProviders);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.KeyIds, actual.KeyIds);
    }

    private Task<ApiKeyResolution?> ResolveAsync(string hash) => Grains.GetGrain<IApiKeyGrain>(hash).ResolveAsync();

    [Fact]
    public async Task CreateThenGet_ReturnsTheSettingsAndTimestamps()
    {
        var id = NewId("acme");
        var created = await Grains.GetGrain<ITenantGrain>(id).CreateAsync(Acme);

        Assert.Equal(TenantOutcome.Ok, created.Outcome);
        var now = Accounts.AccountClusterFixture.Time.GetUtcNow();
        AssertTenant(new TenantInfo(id, Acme, now, now, []), created.Tenant!);
        AssertTenant(new TenantInfo(id, Acme, now, now, []), (await Grains.GetGrain<ITenantGrain>(id).GetAsync())!);
        Assert.Contains(id, await Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.DefaultKey).ListTenantsAsync());
    }

    [Fact]
    public async Task CreateTwice_IsAConflict()
    {
        var tenant = Grains.GetGrain<ITenantGrain>(NewId("dup"));
        await tenant.CreateAsync(Acme);
        Assert.Equal(TenantOutcome.Conflict, (await tenant.CreateAsync(TenantSettings.Named("Other"))).Outcome);
        Assert.Equal("Acme", (await tenant.GetAsync())!.Settings.Name);
    }

    [Fact]
    public async Task UnknownTenant_IsNotFoundEverywhere()
    {
        var tenant = Grains.GetGrain<ITenantGrain>(NewId("ghost"));
        Assert.Null(await tenant.GetAsync());
        Assert.Null(await tenant.ListKeysAsync());
        Assert.Equal(TenantOutcome.NotFound, (await tenant.UpdateAsync(Acme)).Outcome);
        Assert.Equal(TenantOutcome.NotFound, (await tenant.DeleteAsync()).Outcome);
        Assert.Equal(ApiKeyOutcome.TenantNotFound, (await tenant.CreateKeyAsync(Key(Hash()))).Outcome);
    }

    [Fact]
    public async Task DefaultTenant_ExistsOnFirstUseAndCannotBeDeleted()
    {
        Assert.Contains(ITenantGrain.DefaultTenantId, await Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.DefaultKey).ListTenantsAsync());
        var tenant = Grains.GetGrain<ITenantGrain>(ITenantGrain.DefaultTenantId);
        Assert.Equal("Default", (await tenant.GetAsync())!.Settings.Name);
        Assert.Equal(TenantOutcome.Refused, (await tenant.DeleteAsync()).Outcome);
        Assert.NotNull(await tenant.GetAsync());
    }

    [Fact]
    public async Task Update_ReplacesSettingsAndUpdatedAt()
    {
        var tenant = Grains.GetGrain<ITenantGrain>(NewId("upd"));
        var created = (await tenant.CreateAsync(Acme)).Tenant!;
        Accounts.AccountClusterFixture.Time.Advance(TimeSpan.FromSeconds(3));
        var changed = Acme with { Name = "Acme 2", Limits = TenantLimits.None };

        var updated = await tenant.UpdateAsync(changed);

        AssertTenant(created with { Settings = changed, UpdatedAt = created.UpdatedAt.AddSeconds(3) }, updated.Tenant!);
    }

    [Fact]
    public async Task CreatedKey_ResolvesToItsTenantAndKeyId()
    {
        var (tenant, key, hash) = await TenantWithKeyAsync();

        Assert.Matches("^key_[0-9a-f]{16}$", key.Id);
        Assert.Equal(new ApiKeyResolution(tenant.GetPrimaryKeyString(), key.Id, null), await ResolveAsync(hash));
        Assert.Equal([key], await tenant.ListKeysAsync());
        Assert.Equal([key.Id], (await tenant.GetAsync())!.KeyIds);
        Assert.Equal(tenant.GetPrimaryKeyString(), await Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.DefaultKey).FindKeyAsync(key.Id));
    }

    [Fact]
    public async Task UnknownHash_DoesNotResolve()
    {
        Assert.Null(await ResolveAsync(Hash()));
    }

    [Fact]
    public async Task RevokedKey_StopsAtOnceAndListsRevokedAt()
    {
        var (tenant, key, hash) = await TenantWithKeyAsync();

        var revoked = await tenant.RevokeKeyAsync(key.Id);

        Assert.Equal(ApiKeyOutcome.Ok, revoked.Outcome);
        Assert.Equal([hash], revoked.AffectedHashes);
        Assert.Equal(key with { RevokedAt = Accounts.AccountClusterFixture.Time.GetUtcNow() }, revoked.Key);
        Assert.Null(await ResolveAsync(hash));
        Assert.Equal(ApiKeyOutcome.Revoked, (await tenant.RotateKeyAsync(key.Id, Key(Hash()), TimeSpan.Zero)).Outcome);
        Assert.Equal(ApiKeyOutcome.KeyNotFound, (await tenant.RevokeKeyAsync("key_0000000000000000")).Outcome);
    }

    [Fact]
    public async Task RotateWithoutGrace_OldSecretStopsNewWorksUnderTheSameKeyId()
    {
        var (tenant, key, oldHash) = await TenantWithKeyAsync();
        var newHash = Hash();

        var rotated = await tenant.RotateKeyAsync(key.Id, new NewApiKey("ignored", newHash, "gk_newpref", null), TimeSpan.Zero);

        Assert.Equal(key with { Prefix = "gk_newpref" }, rotated.Key);
        Assert.Equal([oldHash, newHash], rotated.AffectedHashes);
        Assert.Null(await ResolveAsync(oldHash));
        Assert.Equal(new ApiKeyResolution(tenant.GetPrimaryKeyString(), key.Id, null), await ResolveAsync(newHash));
    }

    [Fact]
    public async Task RotateWithGrace_OldSecretWorksUntilTheGraceWindowEnds()
    {
        var (tenant, key, oldHash) = await TenantWithKeyAsync();
        var newHash = Hash();
        var graceEnd = Accounts.AccountClusterFixture.Time.GetUtcNow().AddSeconds(30);

        await tenant.RotateKeyAsync(key.Id, Key(newHash), TimeSpan.FromSeconds(30));

        Assert.Equal(new ApiKeyResolution(tenant.GetPrimaryKeyString(), key.Id, graceEnd), await ResolveAsync(oldHash));
        Accounts.AccountClusterFixture.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(await ResolveAsync(oldHash));
        Accounts.AccountClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await ResolveAsync(oldHash));
        Assert.NotNull(await ResolveAsync(newHash));
    }

    [Fact]
    public async Task RevokeDuringGrace_StopsTheOldSecretToo()
    {
        var (tenant, key, oldHash) = await TenantWithKeyAsync();
        var newHash = Hash();
        await tenant.RotateKeyAsync(key.Id, Key(newHash), TimeSpan.FromMinutes(10));

        var revoked = await tenant.RevokeKeyAsync(key.Id);

        Assert.Equal([newHash, oldHash], revoked.AffectedHashes);
        Assert.Null(await ResolveAsync(oldHash));
        Assert.Null(await ResolveAsync(newHash));
    }

    [Fact]
    public async Task ExpiringKey_StopsAtItsExpiryAndRotationKeepsTheExpiry()
    {
        var expiresAt = Accounts.AccountClusterFixture.Time.GetUtcNow().AddMinutes(5);
        var (tenant, key, hash) = await TenantWithKeyAsync(expiresAt);
        Assert.Equal(new ApiKeyResolution(tenant.GetPrimaryKeyString(), key.Id, expiresAt), await ResolveAsync(hash));
        var newHash = Hash();
        await tenant.RotateKeyAsync(key.Id, Key(newHash), TimeSpan.Zero);

        Accounts.AccountClusterFixture.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(await ResolveAsync(newHash));
        Assert.Equal(expiresAt, (await tenant.ListKeysAsync())!.Single().ExpiresAt);
    }

    [Fact]
    public async Task DeletedTenant_StopsItsKeysAndKeepsItsIdReserved()
    {
        var (tenant, key, hash) = await TenantWithKeyAsync();
        var second = Hash();
        await tenant.CreateKeyAsync(Key(second));

        var deleted = await tenant.DeleteAsync();

        Assert.Equal(TenantOutcome.Ok, deleted.Outcome);
        Assert.Equal([hash, second], deleted.RevokedKeyHashes);
        Assert.Null(await ResolveAsync(hash));
        Assert.Null(await ResolveAsync(second));
        Assert.Null(await tenant.GetAsync());
        Assert.DoesNotContain(tenant.GetPrimaryKeyString(), await Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.DefaultKey).ListTenantsAsync());
        Assert.Equal(TenantOutcome.Conflict, (await tenant.CreateAsync(Acme)).Outcome);
        Assert.Equal(ApiKeyOutcome.TenantNotFound, (await tenant.RevokeKeyAsync(key.Id)).Outcome);
    }

    [Fact]
    public async Task SettingsGrain_ReplacesModelMappingsWithANewVersion()
    {
        var settings = Grains.GetGrain<ISettingsGrain>(NewId("settings"));
        Assert.Equal(new ModelMappingsSnapshot(0, null), await settings.GetModelMappingsAsync());

        var first = await settings.SetModelMappingsAsync(new Dictionary<string, string> { ["a"] = "b" });
        var second = await settings.SetModelMappingsAsync(new Dictionary<string, string> { ["c"] = "d" });

        Assert.True(second.Version > first.Version);
        Assert.Equal(new Dictionary<string, string> { ["c"] = "d" }, (await settings.GetModelMappingsAsync()).Mappings);
    }
}
