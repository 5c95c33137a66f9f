namespace Keyward.Core;

/// <summary>
/// Overwrites a plaintext temporary file with zeros where it lies, before it is deleted. Not File.WriteAllBytes:
/// it opens with truncation, which frees the file's blocks first, so the zeros land in new blocks and the plaintext
/// stays on the disk. (A journaling or copy-on-write file system, or an SSD, may still keep old copies; this is
/// what a program can do.)
/// </summary>
public static class FileWipe
{
    /// <summary>Writes zeros over the whole of <paramref name="path"/>, in place, and flushes them to the disk. Nothing when it does not exist.</summary>
    public static void Overwrite(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            return;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        long length = file.Length;
        var zeros = new byte[(int)Math.Min(length, 64 * 1024)];
        for (long written = 0; written < length; written += zeros.Length)
            file.Write(zeros, 0, (int)Math.Min(zeros.Length, length - written));
        file.Flush(flushToDisk: true);
    }
}
