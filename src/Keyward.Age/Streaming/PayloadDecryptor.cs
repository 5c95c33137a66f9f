using System.Buffers;
using System.Security.Cryptography;

namespace Keyward.Age.Streaming;

/// <summary>
/// Decrypts STREAM chunks to an output stream. A chunk is written only after it authenticates, and chunks are
/// written in order up to the first failure, so the released plaintext is exactly the reference's: a full read
/// tries the non-final flag then the final one, a short read must be final, and a final chunk followed by more
/// data is released before the trailing-data error (as the age test vectors require).
/// </summary>
internal static class PayloadDecryptor
{
    private enum ChunkState : byte { Failed, NotFinal, Final, TooShort, EmptyLast }

    public static void Decrypt(ReadOnlySpan<byte> payloadKey, Stream input, Stream output, CancellationToken cancellationToken)
    {
        int batch = Payload.BatchChunks;
        int capacity = batch * Payload.EncryptedChunkSize;
        var sealedBuffer = ArrayPool<byte>.Shared.Rent(capacity + 1);
        var plain = ArrayPool<byte>.Shared.Rent(batch * Payload.ChunkSize);
        var states = new ChunkState[batch];
        var lengths = new int[batch];
        var key = payloadKey.ToArray();
        try
        {
            ulong counter = 0;
            int carried = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int filled = carried + input.ReadAtLeast(sealedBuffer.AsSpan(carried, capacity + 1 - carried), capacity + 1 - carried, throwOnEndOfStream: false);
                bool more = filled > capacity;
                int dataLength = more ? capacity : filled;
                if (dataLength == 0)
                    throw new AgePayloadException("the payload has no chunks", "the file is truncated; check that the whole file was copied");

                int chunks = (dataLength + Payload.EncryptedChunkSize - 1) / Payload.EncryptedChunkSize;
                OpenBatch(key, sealedBuffer, dataLength, chunks, counter, plain, states, lengths);
                bool done = Release(states, lengths, chunks, more, counter, plain, output);
                CryptographicOperations.ZeroMemory(plain.AsSpan(0, chunks * Payload.ChunkSize));
                if (done)
                    return;
                counter = checked(counter + (ulong)chunks);
                sealedBuffer[0] = sealedBuffer[capacity];
                carried = 1;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plain);
            ArrayPool<byte>.Shared.Return(sealedBuffer);
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    private static void OpenBatch(byte[] key, byte[] sealedBuffer, int dataLength, int chunks, ulong counter, byte[] plain, ChunkState[] states, int[] lengths)
    {
        void OpenRange(int from, int to)
        {
            using var aead = new ChaCha20Poly1305(key);
            Span<byte> nonce = stackalloc byte[12];
            for (int i = from; i < to; i++)
            {
                int start = i * Payload.EncryptedChunkSize;
                int length = Math.Min(Payload.EncryptedChunkSize, dataLength - start);
                var sealedChunk = sealedBuffer.AsSpan(start, length);
                var plainChunk = plain.AsSpan(i * Payload.ChunkSize, Math.Max(0, length - Payload.TagSize));
                ulong index = counter + (ulong)i;
                lengths[i] = plainChunk.Length;
                if (length < Payload.TagSize)
                    states[i] = ChunkState.TooShort;
                else if (length == Payload.TagSize && index != 0)
                    states[i] = ChunkState.EmptyLast;
                else if (length == Payload.EncryptedChunkSize && TryOpen(aead, nonce, index, last: false, sealedChunk, plainChunk))
                    states[i] = ChunkState.NotFinal;
                else
                    states[i] = TryOpen(aead, nonce, index, last: true, sealedChunk, plainChunk) ? ChunkState.Final : ChunkState.Failed;
            }
        }

        ParallelChunks.Run(chunks, OpenRange);
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

    /// <summary>Writes the authenticated chunks in order; returns true after the final chunk, throws at the first bad one.</summary>
    private static bool Release(ChunkState[] states, int[] lengths, int chunks, bool moreData, ulong counter, byte[] plain, Stream output)
    {
        for (int i = 0; i < chunks; i++)
        {
            bool endOfData = !moreData && i == chunks - 1;
            ulong index = counter + (ulong)i;
            switch (states[i])
            {
                case ChunkState.NotFinal when !endOfData:
                    continue;
                case ChunkState.NotFinal:
                    output.Write(plain, 0, (i + 1) * Payload.ChunkSize);
                    throw new AgePayloadException($"the payload ends after chunk {index} without a final chunk",
                        "the file is truncated; check that the whole file was copied");
                case ChunkState.Final:
                    int finalLength = LengthBefore(i) + lengths[i];
                    output.Write(plain, 0, finalLength);
                    if (!endOfData)
                        throw new AgePayloadException($"trailing data after the final payload chunk {index}", "the file was modified or two files were concatenated");
                    return true;
                default:
                    output.Write(plain, 0, LengthBefore(i));
                    throw new AgePayloadException(Describe(states[i], index), "the file was modified, damaged or truncated; the output before this point is authentic");
            }
        }
        output.Write(plain, 0, chunks * Payload.ChunkSize);
        return false;

        static int LengthBefore(int i) => i * Payload.ChunkSize;
    }

    private static string Describe(ChunkState state, ulong index) => state switch
    {
        ChunkState.TooShort => $"payload chunk {index} is shorter than its authentication tag",
        ChunkState.EmptyLast => $"the final payload chunk {index} is empty",
        _ => $"payload chunk {index} failed to authenticate",
    };
}
