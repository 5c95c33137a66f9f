using System.Security.Cryptography;

namespace Keyward.Age.Recipients;

/// <summary>The file-key wrapping every native recipient type shares: ChaCha20-Poly1305 with a zero nonce.</summary>
internal static class WrapKey
{
    public const int FileKeySize = 16;
    public const int WrappedSize = FileKeySize + 16;

    public static byte[] Seal(ReadOnlySpan<byte> wrapKey, ReadOnlySpan<byte> fileKey)
    {
        var body = new byte[WrappedSize];
        using var aead = new ChaCha20Poly1305(wrapKey);
        aead.Encrypt(stackalloc byte[12], fileKey, body.AsSpan(0, FileKeySize), body.AsSpan(FileKeySize));
        return body;
    }

    /// <summary>False when the tag does not verify. The body length must already have been checked.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> wrapKey, ReadOnlySpan<byte> body, Span<byte> fileKey)
    {
        using var aead = new ChaCha20Poly1305(wrapKey);
        try
        {
            aead.Decrypt(stackalloc byte[12], body[..FileKeySize], body[FileKeySize..], fileKey[..FileKeySize]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>
    /// HKDF-SHA-256 with a 32-byte output. Extract is done with HMAC directly because the BCL's HKDF rejects an
    /// empty input key, which ssh-ed25519's tweak uses.
    /// </summary>
    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info)
    {
        Span<byte> prk = stackalloc byte[32];
        HMACSHA256.HashData(salt, ikm, prk);
        var key = new byte[32];
        HKDF.Expand(HashAlgorithmName.SHA256, prk, key, info);
        CryptographicOperations.ZeroMemory(prk);
        return key;
    }
}
