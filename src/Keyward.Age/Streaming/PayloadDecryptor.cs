using System.Security.Cryptography;

namespace Keyward.Age.Streaming;

/// <summary>
/// Decrypts STREAM chunks to an output stream. A chunk is written only after it authenticates, and chunks are
/// written in order up to the first failure, so the released plaintext is exactly the reference's: a full read
/// tries the non-final flag then the final one, a short read must be final, and a final chunk followed by more
/// data is released before the trailing-data error (as the age test vectors require). Reading, opening and
/// writing overlap through <see cref="BatchPipeline"/>.
/// </summary>
internal static class PayloadDecryptor
{
    private enum ChunkState : byte { Failed, NotFinal, Final, TooShort, EmptyLast }

    private sealed class Batch() : PooledBatch(Payload.BatchChunks * Payload.ChunkSize, Payload.BatchChunks * Payload.EncryptedChunkSize + 1)
    {
        public readonly ChunkState[] States = new ChunkState[Payload.BatchChunks];
        public readonly int[] Lengths = new int[Payload.BatchChunks];
        public int DataLength;
        public bool More;
        public ulong Counter;
        public int Chunks;
        public int ReleaseLength;
        public AgePayloadException? Error;
    }

    public static void Decrypt(ReadOnlySpan<byte> payloadKey, Stream input, Stream output, CancellationToken cancellationToken)
    {
        int capacity = Payload.BatchChunks * Payload.EncryptedChunkSize;
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
                    b.DataLength = reader.Fill(b.Sealed, out b.More);
                    b.Counter = nextCounter;
                    b.Chunks = (b.DataLength + Payload.EncryptedChunkSize - 1) / Payload.EncryptedChunkSize;
                    nextCounter = checked(nextCounter + (ulong)b.Chunks);
                    return !b.More;
                },
                transform: b =>
                {
                    if (b.Chunks == 0)
                    {
                        b.ReleaseLength = 0;
                        b.Error = new AgePayloadException("the payload has no chunks", "the file is truncated; check that the whole file was copied");
                        return;
                    }
                    OpenBatch(key, b);
                    (b.ReleaseLength, b.Error) = Evaluate(b);
                },
                write: b =>
                {
                    output.Write(b.Plain, 0, b.ReleaseLength);
                    CryptographicOperations.ZeroMemory(b.Plain.AsSpan(0, b.Chunks * Payload.ChunkSize));
                    if (b.Error is not null)
                        throw b.Error;
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

    private static void OpenBatch(byte[] key, Batch b)
    {
        void OpenRange(int from, int to)
        {
            using var aead = new ChaCha20Poly1305(key);
            Span<byte> nonce = stackalloc byte[12];
            for (int i = from; i < to; i++)
            {
                int start = i * Payload.EncryptedChunkSize;
                int length = Math.Min(Payload.EncryptedChunkSize, b.DataLength - start);
                var sealedChunk = b.Sealed.AsSpan(start, length);
                var plainChunk = b.Plain.AsSpan(i * Payload.ChunkSize, Math.Max(0, length - Payload.TagSize));
                ulong index = b.Counter + (ulong)i;
                b.Lengths[i] = plainChunk.Length;
                if (length < Payload.TagSize)
                    b.States[i] = ChunkState.TooShort;
                else if (length == Payload.TagSize && index != 0)
                    b.States[i] = ChunkState.EmptyLast;
                else if (length == Payload.EncryptedChunkSize && TryOpen(aead, nonce, index, last: false, sealedChunk, plainChunk))
                    b.States[i] = ChunkState.NotFinal;
                else
                    b.States[i] = TryOpen(aead, nonce, index, last: true, sealedChunk, plainChunk) ? ChunkState.Final : ChunkState.Failed;
            }
        }

        ParallelChunks.Run(b.Chunks, OpenRange);
    }

    private static bool TryOpen(ChaCha20Poly1305 aead, Span<byte> nonce, ulong index, bool last, ReadOnlySpan<byte> sealedChunk, Span<byte> plainChunk)
    {
        Payload.ChunkNonce(nonce, index, last);
        try
        {
            aead.Decrypt(nonce, sealedChunk[..^Payload.TagSize], sealedChunk[^Payload.TagSize..], plainChunk);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>How many plaintext bytes of the batch may be released, and the error that follows them, if any.</summary>
    private static (int Release, AgePayloadException? Error) Evaluate(Batch b)
    {
        for (int i = 0; i < b.Chunks; i++)
        {
            bool endOfData = !b.More && i == b.Chunks - 1;
            ulong index = b.Counter + (ulong)i;
            switch (b.States[i])
            {
                case ChunkState.NotFinal when !endOfData:
                    continue;
                case ChunkState.NotFinal:
                    return ((i + 1) * Payload.ChunkSize, new AgePayloadException($"the payload ends after chunk {index} without a final chunk",
                        "the file is truncated; check that the whole file was copied"));
                case ChunkState.Final:
                    int release = i * Payload.ChunkSize + b.Lengths[i];
                    return endOfData
                        ? (release, null)
                        : (release, new AgePayloadException($"trailing data after the final payload chunk {index}", "the file was modified or two files were concatenated"));
                default:
                    return (i * Payload.ChunkSize, new AgePayloadException(Describe(b.States[i], index),
                        "the file was modified, damaged or truncated; any plaintext already written out before this point is authentic"));
            }
        }
        return (b.Chunks * Payload.ChunkSize, null);
    }

    private static string Describe(ChunkState state, ulong index) => state switch
    {
        ChunkState.TooShort => $"payload chunk {index} is shorter than its authentication tag",
        ChunkState.EmptyLast => $"the final payload chunk {index} is empty",
        _ => $"payload chunk {index} failed to authenticate",
    };
}
