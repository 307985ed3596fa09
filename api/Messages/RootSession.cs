using System.Security.Cryptography;
using System.Text;

namespace Gateway.Api.Messages;

// Interim: replaced by the full SPEC §4.2 implementation from the messages pre-processing work.
public static class RootSession
{
    public static string DeriveUuid(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(hash, 0, 16);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}
