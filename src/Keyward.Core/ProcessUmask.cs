namespace Keyward.Core;

/// <summary>
/// The process's file mode creation mask, for the files whose final mode Keyward sets itself (an atomic write
/// creates its temporary file 0600 and chmods it at the end, so the kernel never applies the umask to the result).
/// </summary>
public static class ProcessUmask
{
    /// <summary>022, the usual default, where the mask cannot be read (no /proc).</summary>
    private const UnixFileMode Fallback = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>
    /// Read from <c>/proc/self/status</c> (Linux 4.7 and later) on every call, since the mask can change. Not with the
    /// umask(2) call: it reads the mask only by setting it, and a file another thread creates before it is set back
    /// would get the wrong mode.
    /// </summary>
    public static UnixFileMode Current()
    {
        try
        {
            return File.Exists("/proc/self/status") && FromStatus(File.ReadAllText("/proc/self/status")) is { } mask ? mask : Fallback;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fallback;
        }
    }

    /// <summary>The <c>Umask:</c> line of a <c>/proc/PID/status</c> text (octal), or null when there is none.</summary>
    internal static UnixFileMode? FromStatus(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("Umask:", StringComparison.Ordinal))
                continue;
            var digits = line.AsSpan("Umask:".Length).Trim();
            if (digits.IsEmpty || digits.Length > 4)
                return null;
            int mask = 0;
            foreach (var c in digits)
            {
                if (c is < '0' or > '7')
                    return null;
                mask = mask * 8 + (c - '0');
            }
            return (UnixFileMode)(mask & 0x1FF);
        }
        return null;
    }
}
