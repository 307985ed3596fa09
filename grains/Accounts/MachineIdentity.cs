using System.Net.NetworkInformation;
using System.Security.Cryptography;

namespace Gateway.Grains.Accounts;

/// <summary>Per-account ids of SPEC §2.4: <c>vscode-machineid</c>, <c>editor-device-id</c>, <c>vscode-sessionid</c>.</summary>
public static class MachineIdentity
{
    /// <summary>
    /// Standalone: SHA-256 hex of the host's first non-loopback, non-zero MAC address; otherwise (or without one)
    /// SHA-256 hex of random bytes. Always 64 lower-case hex characters.
    /// </summary>
    public static string CreateMachineId(bool standalone)
    {
        if (standalone && FirstMacAddress() is { } mac)
        {
            return Convert.ToHexStringLower(SHA256.HashData(mac));
        }
        return Convert.ToHexStringLower(SHA256.HashData(RandomNumberGenerator.GetBytes(32)));
    }

    public static string CreateDeviceId() => Guid.NewGuid().ToString();

    /// <summary><c>&lt;uuid v4&gt;&lt;unix epoch ms&gt;</c>.</summary>
    public static string CreateVscodeSessionId(DateTimeOffset now) => Guid.NewGuid().ToString() + now.ToUnixTimeMilliseconds();

    /// <summary>The session id is regenerated every 60 min plus a random 0–20 min.</summary>
    public static TimeSpan SessionIdLifetime() => TimeSpan.FromMinutes(60) + TimeSpan.FromSeconds(Random.Shared.Next(0, 20 * 60 + 1));

    private static byte[]? FirstMacAddress()
    {
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                {
                    continue;
                }
                var bytes = nic.GetPhysicalAddress().GetAddressBytes();
                if (bytes.Length > 0 && bytes.Any(b => b != 0))
                {
                    return bytes;
                }
            }
        }
        catch (NetworkInformationException)
        {
        }
        return null;
    }
}
