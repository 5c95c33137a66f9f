using System.Diagnostics;
using System.Text;

namespace Keyward.Cli;

/// <summary>
/// Passphrase prompts on the controlling terminal (/dev/tty), so stdin and stdout stay free for data, as age does.
/// Echo is turned off with stty for the duration of the read.
/// </summary>
internal static class Terminal
{
    private const string TtyPath = "/dev/tty";

    public static string? ReadSecret(string prompt)
    {
        FileStream tty;
        try
        {
            tty = new FileStream(TtyPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        using (tty)
        {
            var promptBytes = Encoding.UTF8.GetBytes(prompt);
            tty.Write(promptBytes);
            tty.Flush();
            bool echoOff = Stty("-echo");
            try
            {
                var line = new List<byte>();
                int b;
                while ((b = tty.ReadByte()) >= 0 && b != '\n')
                {
                    if (b != '\r')
                        line.Add((byte)b);
                }
                return Encoding.UTF8.GetString([.. line]);
            }
            finally
            {
                if (echoOff)
                    Stty("echo");
                tty.Write("\n"u8);
            }
        }
    }

    private static bool Stty(string setting)
    {
        try
        {
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($"stty {setting} < {TtyPath}");
            using var p = Process.Start(psi);
            p?.WaitForExit(5000);
            return p?.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
