using System.Buffers.Binary;
using System.Security.Cryptography;
using Keyward.Age;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Keyward.Sealing;

/// <summary>
/// The Sealed Secrets hybrid scheme (bitnami-labs/sealed-secrets pkg/crypto HybridEncrypt/HybridDecrypt):
/// <c>uint16_be(len(rsa)) || RSA-OAEP(SHA-256, MGF1-SHA-256, label)(sessionKey) || AES-256-GCM(sessionKey, zero nonce)(plaintext) || tag</c>.
/// The zero nonce is safe only because every value gets a fresh session key.
/// The BCL's RSA has no OAEP label, so the RSA part uses BouncyCastle.
/// </summary>
public static class HybridCipher
{
    public const int SessionKeySize = 32;
    public const int TagSize = 16;
    private const int NonceSize = 12;

    /// <summary>Smallest modulus that fits OAEP-SHA-256 of a 32-byte key: 2 * 32 + 2 + 32 bytes.</summary>
    public const int MinimumModulusBytes = 2 * 32 + 2 + SessionKeySize;

    /// <summary>Seals one value. <paramref name="random"/> supplies the session key and the OAEP seed (default: the OS CSPRNG).</summary>
    public static byte[] Encrypt(RsaKeyParameters publicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> label, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        random ??= RandomNumberGenerator.Fill;
        var sessionKey = new byte[SessionKeySize];
        try
        {
            random(sessionKey);
            var oaep = NewOaep(label);
            oaep.Init(true, new ParametersWithRandom(publicKey, new SecureRandom(new RandomSourceGenerator(random))));
            var rsa = oaep.ProcessBlock(sessionKey, 0, sessionKey.Length);
            if (rsa.Length > ushort.MaxValue)
                throw new CryptographicException("RSA ciphertext too long for the 2-byte length prefix");

            var blob = GC.AllocateUninitializedArray<byte>(2 + rsa.Length + plaintext.Length + TagSize);
            BinaryPrimitives.WriteUInt16BigEndian(blob, (ushort)rsa.Length);
            rsa.CopyTo(blob, 2);
            using var gcm = new AesGcm(sessionKey, TagSize);
            Span<byte> nonce = stackalloc byte[NonceSize];
            nonce.Clear();
            int offset = 2 + rsa.Length;
            gcm.Encrypt(nonce, plaintext, blob.AsSpan(offset, plaintext.Length), blob.AsSpan(offset + plaintext.Length, TagSize));
            return blob;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <summary>Why a blob cannot be a sealed value for a key of <paramref name="modulusBytes"/> bytes, or null if its shape is right.</summary>
    public static string? ShapeProblem(ReadOnlySpan<byte> blob, int modulusBytes)
    {
        if (blob.Length < 2)
            return "it is too short to be a sealed value";
        int rsaLength = BinaryPrimitives.ReadUInt16BigEndian(blob);
        if (blob.Length < 2 + rsaLength + TagSize)
            return $"it is truncated (the length prefix says {rsaLength} bytes of RSA ciphertext, {blob.Length - 2} bytes follow)";
        if (rsaLength != modulusBytes)
            return $"its RSA part is {rsaLength} bytes, the key's modulus is {modulusBytes} bytes (sealed with another key size)";
        return null;
    }

    /// <summary>
    /// Opens one value with one private key, or returns null when this key and label do not open it (wrong key,
    /// wrong scope/namespace/name, or tampered data): the controller tries every key it has the same way.
    /// </summary>
    public static byte[]? TryDecrypt(RsaPrivateCrtKeyParameters privateKey, ReadOnlySpan<byte> blob, ReadOnlySpan<byte> label)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        int modulusBytes = (privateKey.Modulus.BitLength + 7) / 8;
        if (ShapeProblem(blob, modulusBytes) is not null)
            return null;
        int rsaLength = BinaryPrimitives.ReadUInt16BigEndian(blob);
        byte[] sessionKey;
        try
        {
            var oaep = NewOaep(label, blinded: true);
            oaep.Init(false, privateKey);
            var rsa = blob.Slice(2, rsaLength).ToArray();
            sessionKey = oaep.ProcessBlock(rsa, 0, rsa.Length);
        }
        catch (InvalidCipherTextException)
        {
            return null;
        }
        catch (DataLengthException)
        {
            return null;
        }
        try
        {
            // Go's aes.NewCipher accepts 16, 24 or 32 byte keys, so the controller would too.
            if (sessionKey.Length is not (16 or 24 or 32))
                return null;
            var sealedPart = blob[(2 + rsaLength)..];
            var plaintext = GC.AllocateUninitializedArray<byte>(sealedPart.Length - TagSize);
            using var gcm = new AesGcm(sessionKey, TagSize);
            Span<byte> nonce = stackalloc byte[NonceSize];
            nonce.Clear();
            try
            {
                gcm.Decrypt(nonce, sealedPart[..^TagSize], sealedPart[^TagSize..], plaintext);
            }
            catch (AuthenticationTagMismatchException)
            {
                return null;
            }
            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    private static OaepEncoding NewOaep(ReadOnlySpan<byte> label, bool blinded = false) =>
        new(blinded ? new RsaBlindedEngine() : new NumericsRsaPublicEngine(), new Sha256Digest(), new Sha256Digest(), label.ToArray());
}
