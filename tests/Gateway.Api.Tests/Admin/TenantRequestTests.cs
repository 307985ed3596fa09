using System.Text.Json;
using Gateway.Api.Admin;
using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Api.Tests.Admin;

public sealed class TenantRequestTests
{
    private static TenantSettings? Apply(string json, TenantSettings? current, out string? id, out string? error)
    {
        using var document = JsonDocument.Parse(json);
        return TenantRequest.Apply(document.RootElement, current, out id, out error);
    }

    [Fact]
    public void FullCreateBody_BecomesSettings()
    {
        var settings = Apply(
            """{"id":"acme_1","name":" Acme ","limits":{"rpm":60,"tpm":1000,"concurrentStreams":2,"minIntervalSeconds":0.25},"budget":{"monthly":12.5,"currency":"usd"},"accountPool":["a","b","a"],"allowedProviders":["codex"]}""",
            null, out var id, out var error);

        Assert.Null(error);
        Assert.Equal("acme_1", id);
        Assert.Equal("Acme", settings!.Name);
        Assert.Equal(new TenantLimits(60, 1000, 2, 0.25), settings.Limits);
        Assert.Equal(new TenantBudget(12.5m, "USD"), settings.Budget);
        Assert.Equal(["a", "b"], settings.AccountPool);
        Assert.Equal(["codex"], settings.AllowedProviders);
    }

    [Fact]
    public void Patch_ReplacesOnlyThePresentFieldsAndSubFields()
    {
        var current = new TenantSettings("Acme", new TenantLimits(60, 1000, 2, null), new TenantBudget(10m, "EUR"), ["a"], ["codex"]);

        var patched = Apply("""{"limits":{"rpm":null,"concurrentStreams":4},"allowedProviders":null}""", current, out var id, out var error);

        Assert.Null(error);
        Assert.Null(id);
        Assert.Equal("Acme", patched!.Name);
        Assert.Equal(new TenantLimits(null, 1000, 4, null), patched.Limits);
        Assert.Equal(current.Budget, patched.Budget);
        Assert.Equal(["a"], patched.AccountPool);
        Assert.Empty(patched.AllowedProviders);
    }

    [Fact]
    public void NullLimitsAndBudget_ResetToUnlimited()
    {
        var current = new TenantSettings("Acme", new TenantLimits(1, 2, 3, 4), new TenantBudget(10m, "EUR"), [], []);

        var patched = Apply("""{"limits":null,"budget":null}""", current, out _, out _);

        Assert.Equal(TenantLimits.None, patched!.Limits);
        Assert.Equal(TenantBudget.None, patched.Budget);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0-team_x")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk")]
    public void ValidIds_Match(string id) => Assert.Matches(TenantRequest.IdPattern(), id);

    [Theory]
    [InlineData("")]
    [InlineData("-team")]
    [InlineData("_team")]
    [InlineData("Team")]
    [InlineData("team a")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl")]
    public void InvalidIds_DoNotMatch(string id) => Assert.DoesNotMatch(TenantRequest.IdPattern(), id);

    [Theory]
    [InlineData("""{"name":"x","limits":{"rpm":1.5}}""", "limits.rpm must be a non-negative integer")]
    [InlineData("""{"name":"x","limits":{"rpm":3000000000}}""", "limits.rpm must be a non-negative integer")]
    [InlineData("""{"name":"x","limits":{"tpm":-1}}""", "limits.tpm must be a non-negative integer")]
    [InlineData("""{"name":"x","budget":[]}""", "budget must be an object")]
    [InlineData("""{"name":"x","budget":{"cap":1}}""", "budget.cap is not a known field")]
    [InlineData("""{"name":"x","accountPool":[" "]}""", "accountPool must be an array of non-empty strings")]
    [InlineData("""{"name":5}""", "name must be a non-empty string of at most 200 characters")]
    [InlineData("""{"id":7,"name":"x"}""", "id must match [a-z0-9][a-z0-9_-]{0,62}")]
    public void InvalidFields_AreNamedInTheError(string json, string message)
    {
        Assert.Null(Apply(json, null, out _, out var error));
        Assert.Equal(message, error);
    }
}
