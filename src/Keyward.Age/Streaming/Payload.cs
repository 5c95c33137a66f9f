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

    /// <summary>
    /// Cores for sealing the chunks of one batch. The reader and writer stages of <see cref="BatchPipeline"/> keep two
    /// cores busy with copying, so only the cores beyond those help; on two cores splitting a batch measured 20 to 40%
    /// slower than sealing it on the pipeline's own thread.
    /// </summary>
    public static int Workers => WorkersOverride > 0 ? WorkersOverride : Math.Clamp(Environment.ProcessorCount - 2, 1, 8);

    /// <summary>Tests force the split path on small machines with this (0: decide from the core count).</summary>
    internal static int WorkersOverride { get; set; }
}
