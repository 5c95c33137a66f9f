using System.Security.Cryptography;

namespace Keyward.Age.Streaming;

/// <summary>
/// Encrypts a plaintext stream into STREAM chunks. Reads a batch of chunks at a time (plus one byte of look-ahead
/// to know which chunk is last) while the previous batch is sealed and the one before it written. Memory is a
/// fixed set of batch buffers whatever the input size.
/// </summary>
internal static class PayloadEncryptor
{
    private sealed class Batch() : PooledBatch(Payload.BatchChunks * Payload.ChunkSize + 1, Payload.BatchChunks * Payload.EncryptedChunkSize)
    {
        public int DataLength;
        public bool Last;
        public ulong Counter;
        public int Chunks;
        public int SealedLength;
    }

    public static void Encrypt(ReadOnlySpan<byte> payloadKey, Stream input, Stream output, CancellationToken cancellationToken)
    {
        int capacity = Payload.BatchChunks * Payload.ChunkSize;
        var key = payloadKey.ToArray();
        var batches = new List<Batch>();
        ulong nextCounter = 0;
        var reader = new LookaheadReader(input, capacity);
        try
        {
            BatchPipeline.Run(
                create: () =>
                {
                    var b = new Batch();
                    batches.Add(b);
                    return b;
                },
                read: b =>
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    b.DataLength = reader.Fill(b.Plain, out bool more);
                    b.Last = !more;
                    b.Counter = nextCounter;
                    b.Chunks = Math.Max(1, (b.DataLength + Payload.ChunkSize - 1) / Payload.ChunkSize);
                    nextCounter = checked(nextCounter + (ulong)b.Chunks);
                    return b.Last;
                },
                transform: b => b.SealedLength = SealBatch(key, b),
                write: b =>
                {
                    output.Write(b.Sealed, 0, b.SealedLength);
                    CryptographicOperations.ZeroMemory(b.Plain.AsSpan(0, b.DataLength));
                },
                cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            // Batches are created on this thread, and the pipeline has joined its stages by now.
            foreach (var b in batches)
                b.Release();
        }
    }

    private static int SealBatch(byte[] key, Batch b)
    {
        void SealRange(int from, int to)
        {
            using var aead = new ChaCha20Poly1305(key);
            Span<byte> nonce = stackalloc byte[12];
            for (int i = from; i < to; i++)
            {
                int start = i * Payload.ChunkSize;
                int length = Math.Min(Payload.ChunkSize, b.DataLength - start);
                int outStart = i * Payload.EncryptedChunkSize;
                Payload.ChunkNonce(nonce, b.Counter + (ulong)i, b.Last && i == b.Chunks - 1);
                aead.Encrypt(nonce, b.Plain.AsSpan(start, length), b.Sealed.AsSpan(outStart, length), b.Sealed.AsSpan(outStart + length, Payload.TagSize));
            }
        }

        ParallelChunks.Run(b.Chunks, SealRange);
        int lastLength = b.DataLength - (b.Chunks - 1) * Payload.ChunkSize;
        return (b.Chunks - 1) * Payload.EncryptedChunkSize + lastLength + Payload.TagSize;
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
