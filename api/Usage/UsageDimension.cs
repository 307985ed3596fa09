namespace Gateway.Api.Usage;

/// <summary>What <c>GET /admin/usage?group_by=</c> can group on (SPEC §16.1).</summary>
public enum UsageDimension
{
    Tenant,
    Key,
    Account,
    Provider,
    Model,
    /// <summary>The UTC calendar day, <c>yyyy-MM-dd</c>.</summary>
    Day,
}

/// <summary>Parsing and naming of <see cref="UsageDimension"/> as they appear in the admin API.</summary>
public static class UsageDimensions
{
    public static string Name(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Tenant => "tenant",
        UsageDimension.Key => "key",
        UsageDimension.Account => "account",
        UsageDimension.Provider => "provider",
        UsageDimension.Model => "model",
        UsageDimension.Day => "day",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    public static bool TryParse(string value, out UsageDimension dimension)
    {
        foreach (var candidate in Enum.GetValues<UsageDimension>())
        {
            if (string.Equals(Name(candidate), value, StringComparison.OrdinalIgnoreCase))
            {
                dimension = candidate;
                return true;
            }
        }
        dimension = default;
        return false;
    }
}
