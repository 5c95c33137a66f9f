using System.Diagnostics;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Age;

/// <summary>
/// Where -o writes: never partial plaintext left behind when the process is stopped, pipes behind /dev/stdout,
/// folders and full devices refused with a hint. Signals need a real keyward process.
/// </summary>
public sealed class AgeOutputTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly X25519Identity _id = X25519Identity.Generate();
    private readonly string _key;

    public AgeOutputTests()
    {
        _key = _dir.File("key.txt");
        File.WriteAllText(_key, _id.ExportSecretKey() + "\n");
    }

    public void Dispose()
    {
        _id.Dispose();
        _dir.Dispose();
    }

    private string[] Temporaries() => Directory.GetFiles(_dir.Path, ".*.tmp");

    private byte[] Ciphertext(int size)
    {
        var plain = new byte[size];
        Array.Fill(plain, (byte)'S');
        var enc = CliRunner.Run(["age", "encrypt", "-r", _id.Recipient.ToString()], plain);
        Assert.Equal(0, enc.ExitCode);
        return enc.Stdout;
    }

    [Theory]
    [InlineData("decrypt", "TERM", 143)]
    [InlineData("decrypt", "HUP", 129)]
    [InlineData("encrypt", "TERM", 143)]
    [InlineData("decrypt", "INT", 130)]
    public async Task A_signal_during_o_removes_the_temporary_file(string operation, string signal, int expectedCode)
    {
        var input = operation == "decrypt" ? Ciphertext(8 << 20) : new byte[8 << 20];
        var output = _dir.File("out.bin");
        string[] args = operation == "decrypt"
            ? ["age", "decrypt", "-i", _key, "-o", output]
            : ["age", "encrypt", "-r", _id.Recipient.ToString(), "-o", output];
        using var p = Process.Start(KeywardProcess.StartInfo(args))!;
        _ = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // Half the input, then nothing more: keyward has written part of the output and waits for the rest.
        p.StandardInput.BaseStream.Write(input, 0, input.Length / 2);
        p.StandardInput.BaseStream.Flush();
        Signals.WaitFor(() => Temporaries() is [var t] && new FileInfo(t).Length > 0, "the temporary output file");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Temporaries()[0]));

        Signals.Send(p, signal);
        Assert.True(p.WaitForExit(30_000), "keyward did not stop");
        Assert.True(expectedCode == p.ExitCode, await stderr);
        Assert.Empty(Temporaries());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Output_dev_stdout_writes_into_a_pipe()
    {
        var file = _dir.File("hello.age");
        File.WriteAllBytes(file, CliRunner.Run(["age", "encrypt", "-r", _id.Recipient.ToString()], "hello\n"u8.ToArray()).Stdout);
        using var p = Process.Start(KeywardProcess.StartInfo("age", "decrypt", "-i", _key, "-o", "/dev/stdout", file))!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000));
        Assert.True(p.ExitCode == 0, stderr);
        Assert.Equal("hello\n", await stdout);
        Assert.DoesNotContain("/proc/", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_or_a_full_device_as_output_gives_a_hint()
    {
        var folder = CliRunner.Run(["age", "encrypt", "-r", _id.Recipient.ToString(), "-o", _dir.Path], "x"u8.ToArray());
        Assert.Equal(2, folder.ExitCode);
        Assert.Contains("keyward: hint: ", folder.Stderr, StringComparison.Ordinal);

        var full = CliRunner.Run(["age", "encrypt", "-r", _id.Recipient.ToString(), "-o", "/dev/full"], "x"u8.ToArray());
        Assert.Equal(1, full.ExitCode);
        Assert.Contains("keyward: hint: ", full.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ecdsa_ssh_key_is_named_as_unsupported()
    {
        const string ecdsa = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDz4Q7v0VhZ2cKeNqAqZLQbJ6W9Ow0Tn8uT2zQy5Kj9p1mFZr8fG0m2H7m3Q9xk0Ue3kS5kqP6y8uJ2Xv3aYb0E= user@host";
        File.WriteAllText(_dir.File("ecdsa.pub"), ecdsa + "\n");
        var file = CliRunner.Run(["age", "encrypt", "-R", _dir.File("ecdsa.pub")], "x"u8.ToArray());
        Assert.NotEqual(0, file.ExitCode);
        Assert.Contains("unsupported SSH key of type ecdsa-sha2-nistp256", file.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("X25519", file.Stderr, StringComparison.Ordinal);

        var flag = CliRunner.Run(["age", "encrypt", "-r", ecdsa], "x"u8.ToArray());
        Assert.NotEqual(0, flag.ExitCode);
        Assert.Contains("ecdsa-sha2-nistp256", flag.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("X25519", flag.Stderr, StringComparison.Ordinal);
    }
}
