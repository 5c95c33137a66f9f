using System.Text;

namespace Keyward.Core;

/// <summary>
/// Reads whole an input the user named (a SOPS file, a manifest, a certificate, a key, a rules file), its size checked
/// first. .NET's <c>File.ReadAllBytes</c> refuses 2 GiB or more with an i/o error of its own ("the file is too long"),
/// and under that it tried to hold a 3 GiB file (4 GB of memory, then OutOfMemoryException); a pipe or a device such
/// as /dev/zero has no size to check but may never end. Here a file is measured before anything is read, anything
/// else is read up to the limit and no further, and either way too large is an input error naming the input.
/// Commands that stream (age encrypt and decrypt) read no file whole and do not come here.
/// </summary>
public static class InputFile
{
    /// <summary>
    /// For manifests (Secrets, SealedSecrets, key backups). The API server takes about 1.5 MiB per object, so even a
    /// whole cluster's SealedSecrets dumped into one file (kubectl get sealedsecrets -A -o yaml) fits many times over,
    /// while the parsed trees of the largest accepted file stay within a few hundred MB.
    /// </summary>
    public const long ManifestMaxBytes = 64L << 20;

    /// <summary>For inputs of a few KB in practice (a controller's certificate is about 2 KB; access rules a few KB).</summary>
    public const long SmallMaxBytes = 1L << 20;

    /// <summary>The first read of an input that gives no size (a pipe, a device, a /proc file); it doubles from there.</summary>
    private const int UnknownSizeChunk = 16 * 1024;

    /// <summary>
    /// The bytes of <paramref name="path"/>, of any size an array holds (just under 2 GiB), refused in the audit's
    /// words past that. A missing file throws what <c>File.ReadAllBytes</c> throws, for callers to word.
    /// </summary>
    public static byte[] ReadAllBytes(string path)
    {
        using var stream = Open(path);
        return Read(stream, Array.MaxLength, size => new KeywardException(
            $"cannot read \"{path}\": {(size is { } known ? $"{known} bytes" : $"more than {Array.MaxLength} bytes")} is too large to read",
            "keyward reads this input whole, and cannot hold 2 GiB or more; check that it is the file you meant", FailureKind.Usage));
    }

    /// <summary>
    /// The bytes of <paramref name="path"/>, refused past <paramref name="maxBytes"/>. <paramref name="what"/> names
    /// the input in the error ("certificate file"); <paramref name="hint"/> says what such an input usually is.
    /// </summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes, string hint)
    {
        using var stream = Open(path);
        return ReadAll(stream, $"{what} \"{path}\"", maxBytes, hint);
    }

    /// <summary><see cref="ReadAllBytes(string, string, long, string)"/> decoded as File.ReadAllText decodes: UTF-8, or UTF-16/32 by their byte-order mark.</summary>
    public static string ReadAllText(string path, string what, long maxBytes, string hint) => Decode(ReadAllBytes(path, what, maxBytes, hint));

    /// <summary>
    /// The rest of <paramref name="stream"/> (standard input, a file), refused past <paramref name="maxBytes"/>.
    /// <paramref name="name"/> is how the error names it ("standard input", <c>key file "k.pem"</c>).
    /// </summary>
    public static byte[] ReadAll(Stream stream, string name, long maxBytes, string hint)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, maxBytes, size => new KeywardException(size is { } known
                ? $"{name} is too large to read: {known} bytes, more than the {Size(maxBytes)} keyward reads for it"
                : $"{name} is too large to read: more than the {Size(maxBytes)} keyward reads for it",
            hint, FailureKind.Usage));
    }

    /// <summary>UTF-8 without its byte-order mark, or UTF-16/32 marked as such: what File.ReadAllText returns.</summary>
    public static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    // bufferSize 0: the bytes go straight into the result, with no copy of a key left in a stream buffer.
    private static FileStream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
    }

    /// <summary>
    /// Reads to the end: a regular file is measured and refused before a byte is read; an input with no size (a pipe,
    /// a terminal, /proc's files, which say 0) is read into a buffer that doubles, refused once it would pass the limit.
    /// <paramref name="tooLarge"/> gets the size when it is known.
    /// </summary>
    private static byte[] Read(Stream stream, long maxBytes, Func<long?, KeywardException> tooLarge)
    {
        maxBytes = Math.Min(maxBytes, Array.MaxLength);
        long length = stream.CanSeek ? stream.Length - stream.Position : 0;
        if (length > maxBytes)
            throw tooLarge(length);
        var buffer = new byte[length > 0 ? length : Math.Min(UnknownSizeChunk, maxBytes)];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                // Full: a file of known size ends here unless it grew since it was measured; one of unknown size may go on.
                int next = stream.ReadByte();
                if (next < 0)
                    return buffer;
                if (buffer.Length >= maxBytes)
                    throw tooLarge(null);
                buffer = Grow(buffer, maxBytes);
                buffer[total++] = (byte)next;
            }
            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
                return total == buffer.Length ? buffer : Trimmed(buffer, total);
            total += read;
        }
    }

    /// <summary>A larger copy, at most <paramref name="maxBytes"/>; the old array is cleared, as the input may be a key.</summary>
    private static byte[] Grow(byte[] buffer, long maxBytes)
    {
        var larger = new byte[Math.Min(buffer.Length * 2L, maxBytes)];
        buffer.CopyTo(larger, 0);
        Array.Clear(buffer);
        return larger;
    }

    /// <summary>The first <paramref name="length"/> bytes; the rest of the array is cleared with them, as in <see cref="Grow"/>.</summary>
    private static byte[] Trimmed(byte[] buffer, int length)
    {
        var trimmed = buffer[..length];
        Array.Clear(buffer);
        return trimmed;
    }

    private static string Size(long bytes) => bytes % (1L << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";
}
