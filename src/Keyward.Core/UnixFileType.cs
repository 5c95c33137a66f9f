using System.Runtime.InteropServices;

namespace Keyward.Core;

/// <summary>
/// Whether a path is a regular file, asked of the .NET runtime's own native shim (the public API does not expose
/// the file type). Needed so an atomic write never renames over a device or a FIFO such as /dev/null, and so the
/// audit never opens a FIFO it meets in a folder (the open would wait for a writer). Also realpath(3), which .NET
/// has no public form of, to tell whether two paths are one file.
/// </summary>
public static partial class UnixFileType
{
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    /// <summary>True for an existing path that is not a regular file or directory (device, FIFO, socket).</summary>
    public static bool IsSpecial(string path)
    {
        if (OperatingSystem.IsWindows())
            return false;
        try
        {
            var status = default(FileStatus);
            if (Stat(path, ref status) != 0)
                return false;
            int type = status.Mode & TypeMask;
            return type != Regular && type != 0x4000;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return path.StartsWith("/dev/", StringComparison.Ordinal) || path.StartsWith("/proc/", StringComparison.Ordinal);
        }
    }

    // Layout of the shim's FileStatus: int32 Flags, int32 Mode, then fields this code does not read.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct FileStatus
    {
        [FieldOffset(4)] public int Mode;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref FileStatus output);

    /// <summary>
    /// realpath(3): the path with every link followed, in the folders too, and <c>..</c> taken after them as the
    /// kernel does; null when the path does not exist (or on a system without the runtime's shim).
    /// </summary>
    public static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows())
            return null;
        try
        {
            return NativeRealPath(path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    // The shim returns realpath(path, NULL), allocated with malloc; the generated marshalling frees it.
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_RealPath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial string? NativeRealPath(string path);
}
