using System.Security.Cryptography;
using System.Text;
using Gateway.Api.Admin;
using Gateway.Api.Auth;

namespace Gateway.Api.Tests.Admin;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void NewSecret_HasTheDocumentedShapeAndItsHashAndPrefix()
    {
        var secret = ApiKeySecret.Create();

        Assert.Matches("^gk_[A-Za-z0-9_-]{43}$", secret.Secret);
        Assert.Equal(secret.Secret[..10], secret.Prefix);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret.Secret))), secret.Hash);
        Assert.NotEqual(secret.Secret, ApiKeySecret.Create().Secret);
    }

    [Fact]
    public void KeyHash_RoundTripsThroughHexAndComparesByValue()
    {
        var hash = KeyHash.Compute("gk_example");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("gk_example"u8)), hash.ToHex());
        Assert.True(KeyHash.TryParse(hash.ToHex(), out var parsed));
        Assert.Equal(hash, parsed);
        Assert.True(hash.FixedTimeEquals(parsed));
        Assert.False(hash.FixedTimeEquals(KeyHash.Compute("gk_other")));
        Assert.False(KeyHash.TryParse("not-hex", out _));
        Assert.False(KeyHash.TryParse(new string('z', 64), out _));
    }

    [Fact]
    public void KeyHash_OfALongNonAsciiSecret_MatchesSha256()
    {
        var secret = new string('é', 400);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), KeyHash.Compute(secret).ToHex());
    }
}
