using System.Security.Cryptography;

namespace Keyward.Core;

/// <summary>How an atomic write treats the destination.</summary>
public sealed record AtomicWriteOptions
{
    /// <summary>
    /// Replace an existing file. When false the path must not exist in any form (a file, a device, a link, a link to
    /// nothing): it is an error and nothing is written, as with age-keygen's O_EXCL.
    /// </summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>
    /// Mode of a new file; an existing file's mode is kept when it is replaced. Null (the default) is 0666 less the
    /// process's umask, the mode any other Unix program would create the file with.
    /// </summary>
    public UnixFileMode? NewFileMode { get; init; }

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
        if (StandardStream(requested) is { } standard)
        {
            WriteStandard(standard, write);
            return;
        }
        // Asked before the links are resolved: /dev/stdout resolves to /proc/self/fd/1 and then to "pipe:[1234]",
        // which is no path at all. stat follows the links and sees the pipe, socket or device behind them.
        // A write that must create a file goes through nothing already there (CheckDestination refuses): a link, even
        // one to nothing yet, would put the file wherever its owner chose, and a FIFO would hand it to whoever reads.
        if (options.Overwrite && IsSpecialFile(requested))
        {
            WriteSpecial(requested, write);
            return;
        }
        var full = options.Overwrite ? ResolveLinks(requested) : requested;
        var directory = CheckDestination(path, full, options);

        var mode = options.NewFileMode ?? DefaultNewFileMode();
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
            Move(path, temp, full, options);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// 1 or 2 when the path names the process's standard output or error (<c>/dev/stdout</c>, <c>/dev/fd/1</c>,
    /// <c>/proc/self/fd/2</c>...). Followed to its target, a standard stream redirected to a file (<c>-o /dev/stdout
    /// &gt;&gt; log</c>) would be that file, replaced whole: what was in it lost, and later output written to nothing.
    /// </summary>
    private static int? StandardStream(string full) => full switch
    {
        "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1" => 1,
        "/dev/stderr" or "/dev/fd/2" or "/proc/self/fd/2" => 2,
        _ => null,
    };

    /// <summary>Writes through the process's own descriptor, at its offset and with its flags (append included).</summary>
    private static void WriteStandard(int descriptor, Action<Stream> write)
    {
        using var stream = descriptor == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError();
        var buffered = new BufferedStream(stream, 1 << 16);
        write(buffered);
        buffered.Flush();
    }

    /// <summary>
    /// Throws the error <see cref="Write"/> would give for the destination (no such folder, an existing file it must not
    /// replace) without writing anything: for commands that must not start work whose result they could not keep.
    /// </summary>
    public static void CheckDestination(string path, AtomicWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new AtomicWriteOptions();
        var requested = Path.GetFullPath(path);
        // As in Write: asked of the path as given, before /dev/stdout's links lead to a pipe that is no path at all.
        if (StandardStream(requested) is not null || (options.Overwrite && IsSpecialFile(requested)))
            return;
        CheckDestination(path, options.Overwrite ? ResolveLinks(requested) : requested, options);
    }

    /// <summary>
    /// <see cref="CheckDestination(string, AtomicWriteOptions?)"/>, then creates and removes the temporary file a write
    /// would create: for commands whose work cannot be undone (a key created by an API) and that must know first that
    /// its result can be kept. It finds what the folder check cannot: a read-only file system, a folder without write
    /// permission, a file name too long once the temporary suffix is added.
    /// </summary>
    public static void CheckWritable(string path, AtomicWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new AtomicWriteOptions();
        var requested = Path.GetFullPath(path);
        if (StandardStream(requested) is not null || (options.Overwrite && IsSpecialFile(requested)))
            return;
        var full = options.Overwrite ? ResolveLinks(requested) : requested;
        var directory = CheckDestination(path, full, options);
        var probe = Path.Combine(directory, $".{Path.GetFileName(full)}.{LowerHex.Encode(RandomNumberGenerator.GetBytes(6))}.tmp");
        try
        {
            using (TerminationCleanup.Process.Register(() =>
            {
                var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                    streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                new FileStream(probe, streamOptions).Dispose();
                return probe;
            }))
            {
                File.Delete(probe);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            throw new KeywardException($"cannot write \"{path}\": a file cannot be created and removed in \"{directory}\" ({KeywardException.Plain(e)})",
                "check the folder's permissions, that its file system is writable and has space, and the length of the name", FailureKind.Failed, e);
        }
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
        if (!options.Overwrite)
            RefuseExisting(path, full, options);
        return directory;
    }

    /// <summary>For writes that must create the file: anything at the path, a link to nothing included, is refused.</summary>
    private static void RefuseExisting(string path, string full, AtomicWriteOptions options)
    {
        // FileInfo asks lstat about a link, so a link whose target does not exist is seen too.
        var info = new FileInfo(full);
        if (info.LinkTarget is { } target)
            throw new KeywardException($"refusing to write \"{path}\": it is a symbolic link (to \"{target}\"), and a new file is never written through one",
                options.OverwriteHint ?? "choose another output path, or remove the link if you made it", FailureKind.Usage);
        if (info.Exists || File.Exists(full))
            throw new KeywardException($"refusing to overwrite existing file \"{path}\"", options.OverwriteHint ?? "choose another output path or remove the file", FailureKind.Usage);
    }

    /// <summary>
    /// The rename. Without overwrite, File.Move refuses a destination that exists, so anything that appeared at the
    /// path since the check gets the same refusal as one that was there before.
    /// </summary>
    private static void Move(string path, string temp, string full, AtomicWriteOptions options)
    {
        try
        {
            File.Move(temp, full, overwrite: options.Overwrite);
        }
        catch (IOException e) when (!options.Overwrite && (File.Exists(full) || new FileInfo(full).LinkTarget is not null))
        {
            throw new KeywardException($"refusing to overwrite existing file \"{path}\": it appeared while writing", options.OverwriteHint ?? "choose another output path or remove the file", FailureKind.Usage, e);
        }
    }

    /// <summary>0666 less the umask: what open(2) with O_CREAT and 0666 gives, as cp, sops and age outputs get.</summary>
    private static UnixFileMode DefaultNewFileMode() =>
        (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)
        & ~ProcessUmask.Current();

    /// <summary>
    /// Whether two paths lead to the same file once every link is followed, those of the folders on the way included
    /// (<c>-o link-to-input</c>, <c>-o dir-link/input</c>): a command that reads one and replaces the other would
    /// destroy its own input. A path that does not exist is compared by where a write to it would go.
    /// </summary>
    public static bool SameFile(string first, string second)
    {
        ArgumentException.ThrowIfNullOrEmpty(first);
        ArgumentException.ThrowIfNullOrEmpty(second);
        return string.Equals(Canonical(first), Canonical(second), StringComparison.Ordinal);
    }

    /// <summary>
    /// Where <paramref name="path"/> really leads, every link followed (the folders' too); for a path that does not
    /// exist, where a write to it would go.
    /// </summary>
    public static string Canonical(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        return UnixFileType.RealPath(full) ?? ResolveLinks(full);
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
