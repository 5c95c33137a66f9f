using System.Diagnostics;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// A SOPS file given as a pipe (<c>keyward decrypt /dev/stdin</c> under <c>cat f | ...</c>, or <c>&lt;(...)</c>) can be
/// read once only: the check that the files are not key files once read it first and left the decryption nothing.
/// </summary>
public sealed class PipeInputTests : KeyedSopsTest
{
    [Fact]
    public async Task Decrypt_reads_a_pipe_once()
    {
        var plain = Dir.File("s.yaml");
        File.WriteAllText(plain, "token: Zq8vN2kP4xR7tY1wE5uI\n");
        var encrypted = Run("encrypt", "--age", Recipient, plain);
        Assert.Equal(0, encrypted.ExitCode);
        var fifo = Dir.File("pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
            mkfifo.WaitForExit();
        // The writer blocks until the pipe is opened for reading, once; a second open would wait for a writer forever.
        var writer = Task.Run(() => File.WriteAllBytes(fifo, encrypted.Stdout));
        var run = Task.Run(() => Run("decrypt", "--input-type", "yaml", fifo));
        // A timeout here: decrypt opened the pipe twice and waits for a writer that is gone.
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        await writer.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Zq8vN2kP4xR7tY1wE5uI", result.StdoutText, StringComparison.Ordinal);
    }
}
