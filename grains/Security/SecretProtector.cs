using System.Security.Cryptography;
using System.Text;

namespace Gateway.Grains.Security;

/// <summary>
/// Encrypts secrets at rest (GitHub tokens, provider keys) with AES-256-GCM. The stored form is
/// <c>v1:</c> + base64(nonce ‖ ciphertext ‖ tag); a fresh 12-byte nonce per secret (NIST SP 800-38D).
/// </summary>
public sealed class SecretProtector
{
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretProtector(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The encryption key must be 32 bytes (AES-256).", nameof(key));
        }
        _key = key;
    }

    public string Protect(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var buffer = new byte[NonceSize + plain.Length + TagSize];
        var nonce = buffer.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, buffer.AsSpan(NonceSize, plain.Length), buffer.AsSpan(NonceSize + plain.Length, TagSize));
        return Prefix + Convert.ToBase64String(buffer);
    }

    public string Unprotect(string protectedValue)
    {
        if (!protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown secret format.");
        }
        var buffer = Convert.FromBase64String(protectedValue[Prefix.Length..]);
        if (buffer.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Secret is truncated.");
        }
        var cipherLength = buffer.Length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(buffer.AsSpan(0, NonceSize), buffer.AsSpan(NonceSize, cipherLength), buffer.AsSpan(NonceSize + cipherLength, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// The key from configuration (base64 of 32 bytes), else — standalone only — a key file in the data dir,
    /// created owner-only on first use.
    /// </summary>
    public static SecretProtector Create(string? configuredKey, string? keyFilePath)
    {
        if (!string.IsNullOrWhiteSpace(configuredKey))
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(configuredKey.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("Gateway:encryptionKey must be base64 of 32 random bytes.");
            }
            return new SecretProtector(key);
        }
        if (keyFilePath is null)
        {
            throw new InvalidOperationException("Gateway:encryptionKey is required in cluster mode (base64 of 32 random bytes).");
        }
        return new SecretProtector(LoadOrCreateKeyFile(keyFilePath));
    }

    private static byte[] LoadOrCreateKeyFile(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(key));
        }
        File.Move(temp, path, overwrite: false);
        return key;
    }

    /// <summary>A short, non-reversible fingerprint of a token, for comparing tokens without keeping them around.</summary>
    public static string Fingerprint(string token)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)), 0, 12);
}
