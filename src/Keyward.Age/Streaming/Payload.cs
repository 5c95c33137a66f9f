using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Keyward.Age.Streaming;

/// <summary>STREAM constants and the per-chunk nonce: an 11-byte big-endian counter, then the last-chunk flag.</summary>
internal static class Payload
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int EncryptedChunkSize = ChunkSize + TagSize;
    public const int NonceSize = 16;

    public static byte[] DeriveKey(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> nonce)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, key, nonce, "payload"u8);
        return key;
    }

    public static void ChunkNonce(Span<byte> nonce12, ulong counter, bool last)
    {
        nonce12.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce12.Slice(3, 8), counter);
        nonce12[11] = last ? (byte)1 : (byte)0;
    }

    /// <summary>Chunks handled per batch; a batch is split across cores when it has more than one chunk.</summary>
    public static int BatchChunks => 16;

    public static int Workers => Math.Max(1, Math.Min(Environment.ProcessorCount, 8));
}
