using System.Buffers;
using System.Security.Cryptography;

namespace Keyward.Age.Streaming;

/// <summary>
/// The two buffers of one STREAM batch, rented from the shared pool (small files such as a SOPS data key would
/// otherwise allocate 2 MiB on the large object heap per call). Each side holds one extra byte of look-ahead.
/// </summary>
internal abstract class PooledBatch(int plainLength, int sealedLength)
{
    public readonly byte[] Plain = ArrayPool<byte>.Shared.Rent(plainLength);
    public readonly byte[] Sealed = ArrayPool<byte>.Shared.Rent(sealedLength);

    /// <summary>Zeroes the plaintext and returns both buffers. Only after every pipeline stage has finished.</summary>
    public void Release()
    {
        CryptographicOperations.ZeroMemory(Plain);
        ArrayPool<byte>.Shared.Return(Plain);
        ArrayPool<byte>.Shared.Return(Sealed);
    }
}
