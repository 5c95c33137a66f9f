namespace Keyward.Core;

/// <summary>
/// Reads whole a file the user named as input (a SOPS file, a Secret, an identity or value file). .NET's
/// <c>File.ReadAllBytes</c> refuses 2 GiB or more with an <c>IOException</c> of its own ("the file is too long. This
/// operation is currently limited..."), reported as an i/o failure; here it is an input error in the audit's words,
/// naming the file, found from the size before anything is read. Commands that stream (age encrypt and decrypt)
/// read no file whole and do not come here.
/// </summary>
public static class InputFile
{
    /// <summary>The first read of a file that gives no size (a pipe, a device, a /proc file); it doubles from there.</summary>
    private const int UnknownSizeChunk = 16 * 1024;

    /// <summary>The file's bytes; a missing file throws what <c>File.ReadAllBytes</c> throws, for callers to word.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        long length = stream.CanSeek ? stream.Length : 0;
        if (length >= Array.MaxLength)
            throw TooLarge(path, $"{length} bytes");
        var buffer = new byte[length > 0 ? length : UnknownSizeChunk];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                // Full: a file of known size ends here unless it grew since it was opened; one of unknown size may go on.
                int next = stream.ReadByte();
                if (next < 0)
                    return buffer;
                if (buffer.Length == Array.MaxLength)
                    throw TooLarge(path, $"more than {Array.MaxLength} bytes");
                buffer = Grow(buffer);
                buffer[total++] = (byte)next;
            }
            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
                return total == buffer.Length ? buffer : Trimmed(buffer, total);
            total += read;
        }
    }

    /// <summary>A larger copy; the old array is cleared, as the file may be a key.</summary>
    private static byte[] Grow(byte[] buffer)
    {
        var larger = new byte[Math.Min(buffer.Length * 2L, Array.MaxLength)];
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

    private static KeywardException TooLarge(string path, string size) =>
        new($"cannot read \"{path}\": {size} is too large to read",
            "keyward reads this input whole, and cannot hold 2 GiB or more; check that it is the file you meant", FailureKind.Usage);
}
