using System.Buffers;
using System.Text;

namespace Keyward.Audit;

/// <summary>How the audit tells text files from binary ones and reads them.</summary>
internal static class TextFile
{
    /// <summary>As git does: a NUL byte in the first 8,000 bytes makes a file binary.</summary>
    private const int SniffLength = 8000;

    /// <summary>Whether the file's first bytes hold a NUL (reads only those).</summary>
    public static bool LooksBinary(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        Span<byte> head = stackalloc byte[SniffLength];
        int read = stream.ReadAtLeast(head, SniffLength, throwOnEndOfStream: false);
        return head[..read].Contains((byte)0);
    }

    public static bool LooksBinary(ReadOnlySpan<byte> bytes) => bytes[..Math.Min(bytes.Length, SniffLength)].Contains((byte)0);

    /// <summary>
    /// A file's text, read into a pooled buffer (the bytes are garbage the moment they are decoded: one new array per
    /// file was 18 MiB of the benchmark's allocations). The buffer is cleared before it goes back: it held the file.
    /// </summary>
    public static string Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length >= Array.MaxLength)
            throw new IOException($"{length} bytes is too large to read");
        // One byte more than the length, so a file that grew since it was listed is read to its end too.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length + 1, 4096));
        int total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    buffer.AsSpan(0, total).Clear();
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                    break;
                total += read;
            }
            return Decode(buffer.AsSpan(0, total));
        }
        finally
        {
            buffer.AsSpan(0, total).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>UTF-8, without a byte-order mark.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes);
}
