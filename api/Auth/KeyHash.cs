using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Api.Auth;

/// <summary>
/// The SHA-256 of a key secret as a value type (SPEC §1.2: keys are stored as hashes), so cache lookups on the
/// request path hash into stack memory and allocate nothing.
/// </summary>
public readonly record struct KeyHash(ulong A, ulong B, ulong C, ulong D)
{
    private const int Size = 32;

    public static KeyHash Compute(string secret)
    {
        var max = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = null;
        var utf8 = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(secret, utf8);
            Span<byte> hash = stackalloc byte[Size];
            SHA256.HashData(utf8[..length], hash);
            return FromBytes(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Parses the lower-case hex form grains are keyed by; false for anything else.</summary>
    public static bool TryParse(string hex, out KeyHash hash)
    {
        hash = default;
        if (hex.Length != Size * 2)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != OperationStatus.Done || written != Size)
        {
            return false;
        }
        hash = FromBytes(bytes);
        return true;
    }

    /// <summary>Lower-case hex, the key of <c>IApiKeyGrain</c>.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Constant-time comparison (SPEC §1.2), for credentials compared against a known hash.</summary>
    public bool FixedTimeEquals(KeyHash other)
    {
        Span<byte> left = stackalloc byte[Size];
        Span<byte> right = stackalloc byte[Size];
        WriteTo(left);
        other.WriteTo(right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }

    private void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, A);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], D);
    }

    private static KeyHash FromBytes(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
}
