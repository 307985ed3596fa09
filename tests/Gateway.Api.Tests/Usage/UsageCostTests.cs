using System.Text;
using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Usage;

public sealed class UsageCostTests
{
    [Fact]
    public void Sum_AddsPerCurrency_InOrdinalOrder()
    {
        var sum = UsageCost.Of("USD", 5) + UsageCost.Of("CNY", 7) + UsageCost.None + UsageCost.Of("USD", 10);
        Assert.Equal([new("CNY", 7L), new("USD", 15L)], sum.Entries);
        Assert.Equal(15, sum.NanosOf("USD"));
        Assert.Equal(UsageCost.Of("CNY", 7) + UsageCost.Of("USD", 15), sum);
        Assert.NotEqual(UsageCost.Of("USD", 15), sum);
    }

    [Fact]
    public void ZeroOrNoCurrency_IsNone()
    {
        Assert.Equal(UsageCost.None, UsageCost.Of("USD", 0));
        Assert.Equal(UsageCost.None, UsageCost.Of(null, 12));
        Assert.Empty(UsageCost.None.Entries);
    }

    [Fact]
    public void WriteTo_CurrencyUnitsWithoutTrailingZeros()
        => Assert.Equal("""{"cost":{"CNY":0.000000001,"EUR":12,"USD":1.5}}""",
            Json(UsageCost.Of("USD", 1_500_000_000) + UsageCost.Of("CNY", 1) + UsageCost.Of("EUR", 12_000_000_000)));

    [Fact]
    public void WriteTo_None_IsAnEmptyObject() => Assert.Equal("""{"cost":{}}""", Json(UsageCost.None));

    [Fact]
    public void ToNanos_InvertsToAmount() => Assert.Equal(1_234_567_891, UsageCost.ToNanos(UsageCost.ToAmount(1_234_567_891)));

    private static string Json(UsageCost cost)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            cost.WriteTo(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
