using System.Buffers.Text;
using System.Security.Cryptography;
using Gateway.Api.Auth;

namespace Gateway.Api.Admin;

/// <summary>
/// A new key secret (SPEC §16.1): <c>gk_</c> + 32 random bytes in base64url without padding. Shown once; grains
/// only ever see its hash and its prefix.
/// </summary>
public sealed record ApiKeySecret(string Secret, string Hash, string Prefix)
{
    public const string SecretPrefix = "gk_";
    public const int PrefixLength = 10;

    public static ApiKeySecret Create()
    {
        var secret = SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new ApiKeySecret(secret, KeyHash.Compute(secret).ToHex(), secret[..PrefixLength]);
    }
}
