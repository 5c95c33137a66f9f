using System.Security.Cryptography;

namespace Keyward.Core;

/// <summary>How an atomic write treats the destination.</summary>
public sealed record AtomicWriteOptions
{
    /// <summary>Replace an existing file. When false an existing destination is an error and is left untouched.</summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>Mode of a new file; an existing file's mode is kept when it is replaced.</summary>
    public UnixFileMode NewFileMode { get; init; } =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Mode for secrets: 0600 whatever the file had before.</summary>
    public static AtomicWriteOptions Private { get; } = new() { NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, ForceMode = true };

    /// <summary>Use <see cref="NewFileMode"/> even when replacing an existing file.</summary>
    public bool ForceMode { get; init; }

    /// <summary>What to do about an existing file when <see cref="Overwrite"/> is false, if not the generic hint.</summary>
    public string? OverwriteHint { get; init; }
}

/// <summary>
/// Writes a file so that it appears whole or not at all: a temporary file in the same folder, fsync, rename.
/// On any error the temporary file is removed and the destination is as it was.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write, AtomicWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        options ??= new AtomicWriteOptions();
        var requested = Path.GetFullPath(path);
        // Asked before the links are resolved: /dev/stdout resolves to /proc/self/fd/1 and then to "pipe:[1234]",
        // which is no path at all. stat follows the links and sees the pipe, socket or device behind them.
        if (IsSpecialFile(requested))
        {
            WriteSpecial(requested, write);
            return;
        }
        var full = ResolveLinks(requested);
        var directory = CheckDestination(path, full, options);

        var mode = options.NewFileMode;
        if (!options.ForceMode && File.Exists(full) && !OperatingSystem.IsWindows())
            mode = File.GetUnixFileMode(full);

        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{LowerHex.Encode(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            // 0600 until the content is complete, whatever the final mode: a partial plaintext is nobody else's to read.
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            FileStream? created = null;
            // Registered so that a signal (SIGTERM, SIGHUP, Ctrl-C) removes the temporary file before the process ends.
            using var registration = TerminationCleanup.Process.Register(() =>
            {
                created = new FileStream(temp, streamOptions);
                return temp;
            });
            using (var stream = created!)
            {
                // Not disposed: disposing a BufferedStream closes the file before the fsync below.
                var buffered = new BufferedStream(stream, 1 << 16);
                write(buffered);
                buffered.Flush();
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, mode);
            File.Move(temp, full, overwrite: options.Overwrite);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Throws the error <see cref="Write"/> would give for the destination (no such folder, an existing file it must not
    /// replace) without writing anything: for commands that must not start work whose result they could not keep.
    /// </summary>
    public static void CheckDestination(string path, AtomicWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Destination(path);
        if (!IsSpecialFile(full))
            CheckDestination(path, full, options ?? new AtomicWriteOptions());
    }

    private static string CheckDestination(string path, string full, AtomicWriteOptions options)
    {
        var directory = Path.GetDirectoryName(full) ?? ".";
        // A link into /proc (/dev/stdout and the like) is an internal path the user never typed: name theirs.
        var shown = full.StartsWith("/proc/", StringComparison.Ordinal) ? Path.GetDirectoryName(Path.GetFullPath(path)) ?? "." : directory;
        if (Directory.Exists(full))
            throw new KeywardException($"cannot write \"{path}\": it is a folder", "name a file (a path inside the folder, for example)", FailureKind.Usage);
        if (!Directory.Exists(directory))
            throw new KeywardException($"cannot write \"{path}\": the folder \"{shown}\" does not exist", "create the folder first", FailureKind.Usage);
        if (full.StartsWith("/proc/", StringComparison.Ordinal))
            throw new KeywardException($"cannot write \"{path}\": it is not a regular file, a pipe or a device", "write to a file, or to stdout with -", FailureKind.Usage);
        if (!options.Overwrite && File.Exists(full))
            throw new KeywardException($"refusing to overwrite existing file \"{path}\"", options.OverwriteHint ?? "choose another output path or remove the file", FailureKind.Usage);
        return directory;
    }

    /// <summary>The file a write to <paramref name="path"/> replaces: the path itself, or what its links lead to.</summary>
    public static string Destination(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ResolveLinks(Path.GetFullPath(path));
    }

    /// <summary>A symlinked destination is written through: its target is replaced, the link stays.</summary>
    private static string ResolveLinks(string full)
    {
        var info = new FileInfo(full);
        return info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
            ? target.FullName
            : full;
    }

    private static bool IsSpecialFile(string full) => UnixFileType.IsSpecial(full);

    /// <summary>Devices and pipes (-o /dev/null, -o /dev/stdout, a FIFO) cannot be replaced by a rename, and must not be.</summary>
    private static void WriteSpecial(string path, Action<Stream> write)
    {
        using var device = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0);
        write(device);
        device.Flush();
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data, AtomicWriteOptions? options = null)
    {
        var copy = data.ToArray();
        try
        {
            Write(path, s => s.Write(copy), options);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
