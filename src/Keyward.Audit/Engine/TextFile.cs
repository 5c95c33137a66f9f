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

    /// <summary>UTF-8, without a byte-order mark.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes);
}
