namespace Gateway.Api.Auth;

/// <summary>
/// The front end's key cache (DESIGN §2 step 1), bound from <c>Gateway:auth:keyCache</c>. The TTL bounds how long a
/// key revoked on another front end keeps working here (SPEC §1.2: "within seconds").
/// </summary>
public sealed class KeyCacheOptions
{
    public const string SectionName = "Gateway:auth:keyCache";

    /// <summary>How long a resolved key is trusted before asking its grain again.</summary>
    public double TtlSeconds { get; set; } = 5;

    /// <summary>How long an unknown key is remembered, so a flood of bad keys does not reach the grains.</summary>
    public double NegativeTtlSeconds { get; set; } = 1.5;

    /// <summary>Above this many entries the cache starts over (bounds memory under a flood of random keys).</summary>
    public int MaxEntries { get; set; } = 10_000;
}
