namespace Gateway.Grains.Abstractions.Accounts;

/// <summary>
/// The list of GitHub accounts known to the cluster (key <see cref="DefaultKey"/>). Front ends read it rarely and
/// cache it; the per-request path talks to account grains through cached leases.
/// </summary>
[Alias("gw.IAccountDirectoryGrain")]
public interface IAccountDirectoryGrain : IGrainWithStringKey
{
    public const string DefaultKey = "default";

    [Alias("Add")]
    Task AddAsync(string login);

    [Alias("Remove")]
    Task RemoveAsync(string login);

    /// <summary>Logins in the order they were added; <see cref="AccountDirectory.Version"/> changes on every edit.</summary>
    [Alias("Get")]
    Task<AccountDirectory> GetAsync();
}

[GenerateSerializer, Immutable, Alias("gw.AccountDirectory")]
public sealed record AccountDirectory(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<string> Logins);
