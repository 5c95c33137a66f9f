using System.Security.Cryptography;
using Keyward.Age;
using Keyward.Age.Armor;
using Keyward.Age.Format;
using Keyward.Age.Recipients;

namespace Keyward.Sops.Crypto;

/// <summary>
/// Opens the tiny age files that wrap sops data keys (one payload chunk) without the age library's streaming
/// pipeline, which sets up worker threads and 2 MiB of batch buffers per call: for a thousand files that was most of
/// the run. Only the regular case is handled here (the header parsed and its MAC checked by the age library's own
/// reader, one final chunk of at most 64 KiB); anything else, and every failure, goes to <see cref="AgeDecryptor"/>,
/// which gives the authoritative answer and error.
/// </summary>
internal static class SmallAgeFile
{
    private const int FileKeySize = 16;
    private const int NonceSize = 16;
    private const int TagSize = 16;
    private const int ChunkSize = 64 * 1024;

    /// <summary>The plaintext; null when no identity matches; throws the age library's errors for damaged files.</summary>
    public static byte[]? Decrypt(byte[] file, IReadOnlyList<IAgeIdentity> identities)
    {
        var fast = TryFast(file, identities, out bool noMatch);
        if (fast is not null)
            return fast;
        if (noMatch)
            return null;
        try
        {
            return AgeDecryptor.Decrypt(file, identities);
        }
        catch (AgeNoIdentityMatchException)
        {
            return null;
        }
    }

    internal static byte[]? TryFast(byte[] file, IReadOnlyList<IAgeIdentity> identities, out bool noMatch)
    {
        noMatch = false;
        if (identities.Count == 0 || !ChaCha20Poly1305.IsSupported)
            return null;
        Stream input = new MemoryStream(file, writable: false);
        if (ArmorDecodingStream.LooksArmored(file.AsSpan(0, Math.Min(file.Length, 2048))))
            input = new ArmorDecodingStream(input);
        AgeHeaderReader.Result parsed;
        byte[] rest;
        try
        {
            parsed = AgeHeaderReader.Read(input);
            using var buffer = new MemoryStream();
            parsed.Payload.CopyTo(buffer);
            rest = buffer.ToArray();
        }
        catch (AgeException)
        {
            return null;
        }
        var stanzas = parsed.Header.Stanzas;
        if (stanzas.Any(s => s.Type == "scrypt") || rest.Length < NonceSize + TagSize || rest.Length > NonceSize + ChunkSize + TagSize)
            return null;
        Span<byte> fileKey = stackalloc byte[FileKeySize];
        var payloadKey = new byte[32];
        try
        {
            bool unwrapped = false;
            foreach (var identity in identities)
            {
                if (identity.TryUnwrap(stanzas, fileKey))
                {
                    unwrapped = true;
                    break;
                }
            }
            if (!unwrapped)
            {
                noMatch = true;
                return null;
            }
            if (!CryptographicOperations.FixedTimeEquals(AgeHeader.ComputeMac(fileKey, parsed.MacInput), parsed.Header.Mac))
                return null;
            HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, payloadKey, rest.AsSpan(0, NonceSize), "payload"u8);
            var sealedChunk = rest.AsSpan(NonceSize);
            var plaintext = new byte[sealedChunk.Length - TagSize];
            Span<byte> nonce = stackalloc byte[12];
            nonce.Clear();
            nonce[11] = 1; // chunk 0, the last one
            using var aead = new ChaCha20Poly1305(payloadKey);
            try
            {
                aead.Decrypt(nonce, sealedChunk[..^TagSize], sealedChunk[^TagSize..], plaintext);
            }
            catch (AuthenticationTagMismatchException)
            {
                return null;
            }
            return plaintext;
        }
        finally
        {
            fileKey.Clear();
            CryptographicOperations.ZeroMemory(payloadKey);
            CryptographicOperations.ZeroMemory(rest);
        }
    }
}
