using System.Buffers;
using System.Security.Cryptography;

namespace Keyward.Age.Streaming;

/// <summary>
/// Encrypts a plaintext stream into STREAM chunks. Reads a batch of chunks at a time (plus one byte of look-ahead
/// to know which chunk is last), seals the chunks of a batch in parallel and writes them in order.
/// Memory is two batch buffers whatever the input size.
/// </summary>
internal static class PayloadEncryptor
{
    public static void Encrypt(ReadOnlySpan<byte> payloadKey, Stream input, Stream output, CancellationToken cancellationToken)
    {
        int batch = Payload.BatchChunks;
        int plainCapacity = batch * Payload.ChunkSize;
        var plain = ArrayPool<byte>.Shared.Rent(plainCapacity + 1);
        var sealedBuffer = ArrayPool<byte>.Shared.Rent(batch * Payload.EncryptedChunkSize);
        var key = payloadKey.ToArray();
        try
        {
            ulong counter = 0;
            int carried = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int filled = carried + input.ReadAtLeast(plain.AsSpan(carried, plainCapacity + 1 - carried), plainCapacity + 1 - carried, throwOnEndOfStream: false);
                bool more = filled > plainCapacity;
                int dataLength = more ? plainCapacity : filled;
                int chunks = Math.Max(1, (dataLength + Payload.ChunkSize - 1) / Payload.ChunkSize);
                int written = SealBatch(key, plain, dataLength, chunks, counter, lastIsFinal: !more, sealedBuffer);
                output.Write(sealedBuffer, 0, written);
                CryptographicOperations.ZeroMemory(plain.AsSpan(0, dataLength));
                if (!more)
                    break;
                counter = checked(counter + (ulong)chunks);
                plain[0] = plain[plainCapacity];
                carried = 1;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plain);
            ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(sealedBuffer);
        }
    }

    private static int SealBatch(byte[] key, byte[] plain, int dataLength, int chunks, ulong counter, bool lastIsFinal, byte[] output)
    {
        void SealRange(int from, int to)
        {
            using var aead = new ChaCha20Poly1305(key);
            Span<byte> nonce = stackalloc byte[12];
            for (int i = from; i < to; i++)
            {
                int start = i * Payload.ChunkSize;
                int length = Math.Min(Payload.ChunkSize, dataLength - start);
                int outStart = i * Payload.EncryptedChunkSize;
                Payload.ChunkNonce(nonce, counter + (ulong)i, lastIsFinal && i == chunks - 1);
                aead.Encrypt(nonce, plain.AsSpan(start, length), output.AsSpan(outStart, length), output.AsSpan(outStart + length, Payload.TagSize));
            }
        }

        ParallelChunks.Run(chunks, SealRange);
        int lastLength = dataLength - (chunks - 1) * Payload.ChunkSize;
        return (chunks - 1) * Payload.EncryptedChunkSize + lastLength + Payload.TagSize;
    }
}

/// <summary>Splits chunk indices into one contiguous range per core; small batches stay on the calling thread.</summary>
internal static class ParallelChunks
{
    public static void Run(int chunks, Action<int, int> range)
    {
        int workers = Math.Min(Payload.Workers, chunks / 2);
        if (workers <= 1)
        {
            range(0, chunks);
            return;
        }
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int from = (int)((long)chunks * w / workers);
            int to = (int)((long)chunks * (w + 1) / workers);
            range(from, to);
        });
    }
}
