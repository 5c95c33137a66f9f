using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Keyward.Core;

namespace Keyward.Cli;

/// <summary>
/// Passphrase prompts on the controlling terminal (/dev/tty), so stdin and stdout stay free for data, as age does.
/// Echo is turned off for the duration of the read: with termios (tcgetattr/tcsetattr) on the terminal itself, or,
/// where that is not available, with stty. When neither works the prompt is refused: a secret is never read with
/// echo on, where it stays on the screen, in scrollback and in recordings.
/// </summary>
internal static class Terminal
{
    private const string TtyPath = "/dev/tty";

    /// <summary>What to say when echo cannot be turned off: every caller reads its secret from a file or stdin too.</summary>
    internal const string EchoHint = "give the secret another way: the command's file option (--passphrase-file for age, --value-file for set, --from-file for seal --raw...) or standard input";

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
            using var echo = EchoOff(tty, Stty);
            using var onSignal = RestoreOnSignal(echo);
            var promptBytes = Encoding.UTF8.GetBytes(prompt);
            tty.Write(promptBytes);
            tty.Flush();
            var line = new List<byte>();
            byte[]? bytes = null;
            try
            {
                int b;
                while ((b = tty.ReadByte()) >= 0 && b != '\n')
                {
                    if (b != '\r')
                        line.Add((byte)b);
                }
                bytes = [.. line];
                return Encoding.UTF8.GetString(bytes);
            }
            finally
            {
                CollectionsMarshal.AsSpan(line).Clear();
                if (bytes is not null)
                    CryptographicOperations.ZeroMemory(bytes);
                tty.Write("\n"u8);
            }
        }
    }

    /// <summary>
    /// Turns echo off on <paramref name="tty"/> until the result is disposed: termios first, then
    /// <paramref name="stty"/> (a setting in, success out). Throws when neither can.
    /// </summary>
    internal static IDisposable EchoOff(FileStream tty, Func<string, bool> stty)
    {
        if (TerminalEcho.TryOff(tty.SafeFileHandle) is { } restore)
            return restore;
        if (stty("-echo"))
            return new Restore(() => stty("echo"));
        throw new KeywardException("cannot turn off echo on this terminal, so the secret would show as it is typed", EchoHint, FailureKind.Usage);
    }

    /// <summary>
    /// Ctrl-C (or any signal that ends keyward) at the prompt would leave the terminal without echo for the shell that
    /// follows: the echo is put back first, and the signal then ends keyward as it would have.
    /// </summary>
    private static Restore RestoreOnSignal(IDisposable echo)
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT])
            registrations.Add(PosixSignalRegistration.Create(signal, _ => echo.Dispose()));
        return new Restore(() => registrations.ForEach(r => r.Dispose()));
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private static bool Stty(string setting)
    {
        try
        {
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($"stty {setting} < {TtyPath}");
            using var p = Process.Start(psi);
            if (p is null)
                return false;
            if (!p.WaitForExit(5000))
            {
                p.Kill();
                return false;
            }
            return p.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
