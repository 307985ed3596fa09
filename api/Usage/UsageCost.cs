using System.Text.Json;

namespace Gateway.Api.Usage;

/// <summary>
/// Cost per currency (SPEC §15.3 <c>cost</c>: <c>{&lt;currency&gt;: amount}</c>), in nano-units so that sums are
/// exact. Immutable with value equality; currencies are kept in ordinal order so JSON output is stable.
/// </summary>
public readonly struct UsageCost : IEquatable<UsageCost>
{
    private readonly KeyValuePair<string, long>[]? _entries;

    private UsageCost(KeyValuePair<string, long>[] entries) => _entries = entries;

    public static UsageCost None => default;

    public IReadOnlyList<KeyValuePair<string, long>> Entries => _entries ?? [];

    public static UsageCost Of(string? currency, long nanos)
        => string.IsNullOrEmpty(currency) || nanos == 0 ? default : new UsageCost([new(currency, nanos)]);

    public long NanosOf(string currency)
    {
        foreach (var (code, nanos) in Entries)
        {
            if (code == currency)
            {
                return nanos;
            }
        }
        return 0;
    }

    public static UsageCost operator +(UsageCost left, UsageCost right)
    {
        if (left._entries is null)
        {
            return right;
        }
        if (right._entries is null)
        {
            return left;
        }
        var sums = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (code, nanos) in left._entries.Concat(right._entries))
        {
            sums[code] = sums.GetValueOrDefault(code) + nanos;
        }
        return new UsageCost([.. sums]);
    }

    /// <summary>Writes <c>"cost": {"USD": 0.0123, …}</c>; amounts in currency units.</summary>
    public void WriteTo(Utf8JsonWriter writer, string propertyName = "cost")
    {
        writer.WriteStartObject(propertyName);
        foreach (var (code, nanos) in Entries)
        {
            writer.WriteNumber(code, ToAmount(nanos));
        }
        writer.WriteEndObject();
    }

    /// <summary>Nano-units as currency units with at most nine decimals and no trailing zeros.</summary>
    public static decimal ToAmount(long nanos) => new decimal(nanos) / 1_000_000_000m / 1.000000000000000000000000000m;

    public static long ToNanos(decimal amount) => (long)decimal.Round(amount * 1_000_000_000m, MidpointRounding.AwayFromZero);

    public bool Equals(UsageCost other) => Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => obj is UsageCost other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var entry in Entries)
        {
            hash.Add(entry);
        }
        return hash.ToHashCode();
    }

    public static bool operator ==(UsageCost left, UsageCost right) => left.Equals(right);

    public static bool operator !=(UsageCost left, UsageCost right) => !left.Equals(right);

    public override string ToString() => string.Join(", ", Entries.Select(e => $"{e.Key} {ToAmount(e.Value)}"));
}
