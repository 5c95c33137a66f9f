using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Keyward.Core;

/// <summary>
/// Terminal echo turned off with termios (tcgetattr/tcsetattr from libc), for secret prompts: no process to start,
/// so it works where there is no shell or stty (minimal and distroless images). The structure is handled as bytes,
/// with c_lflag where Linux (4-byte flags) and macOS (8-byte flags) put it.
/// </summary>
public static partial class TerminalEcho
{
    private const uint Echo = 0x8; // ECHO, the same on Linux and macOS
    private const int SetNow = 0; // TCSANOW
    private const int Size = 256; // larger than any termios

    /// <summary>Turns echo off on <paramref name="terminal"/>; disposing the result puts it back. Null when it cannot (not a terminal, no libc).</summary>
    public static IDisposable? TryOff(SafeFileHandle terminal)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        int offset = OperatingSystem.IsLinux() ? 12 : OperatingSystem.IsMacOS() ? 24 : -1;
        if (offset < 0 || terminal.IsInvalid)
            return null;
        try
        {
            int fd = (int)terminal.DangerousGetHandle();
            var saved = new byte[Size];
            if (GetAttributes(fd, saved) != 0)
                return null;
            var changed = (byte[])saved.Clone();
            uint flags = BitConverter.ToUInt32(changed, offset);
            BitConverter.TryWriteBytes(changed.AsSpan(offset), flags & ~Echo);
            if (SetAttributes(fd, SetNow, changed) != 0)
                return null;
            // tcsetattr succeeds when any of the changes took: check that this one did.
            var now = new byte[Size];
            if (GetAttributes(fd, now) != 0 || (BitConverter.ToUInt32(now, offset) & Echo) != 0)
            {
                _ = SetAttributes(fd, SetNow, saved);
                return null;
            }
            return new Restore(fd, saved);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private sealed class Restore(int fd, byte[] saved) : IDisposable
    {
        public void Dispose() => _ = SetAttributes(fd, SetNow, saved);
    }

    [LibraryImport("libc", EntryPoint = "tcgetattr")]
    private static partial int GetAttributes(int fd, [Out] byte[] termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr")]
    private static partial int SetAttributes(int fd, int action, [In] byte[] termios);
}
