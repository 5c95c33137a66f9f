using System.Diagnostics;
using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Sealing;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Age;

/// <summary>
/// What -o leaves on disk: plaintext 0600 whatever the umask or the file's old mode, other outputs 0666 less the
/// umask, the input never replaced through a link, and keygen never writing through anything already at its path.
/// </summary>
public sealed class AgeOutputSafetyTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDir _dir = new();
    private readonly X25519Identity _id = X25519Identity.Generate();
    private readonly string _key;
    private readonly string _secret;

    public AgeOutputSafetyTests()
    {
        _key = _dir.File("key.txt");
        File.WriteAllText(_key, _id.ExportSecretKey() + "\n");
        _secret = _dir.File("secret.age");
        var enc = CliRunner.Run(["age", "encrypt", "-r", _id.Recipient.ToString(), "-o", _secret], "hunter2hunter2"u8.ToArray());
        Assert.True(enc.ExitCode == 0, enc.Stderr);
    }

    public void Dispose()
    {
        _id.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Decrypted_output_is_0600_and_a_loose_existing_file_is_tightened()
    {
        var fresh = _dir.File("plain.txt");
        Assert.Equal(0, CliRunner.Run(["age", "decrypt", "-i", _key, "-o", fresh, _secret]).ExitCode);
        Assert.Equal(Private, File.GetUnixFileMode(fresh));

        var old = _dir.File("old.txt");
        File.WriteAllText(old, "");
        File.SetUnixFileMode(old, Private | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        Assert.Equal(0, CliRunner.Run(["age", "decrypt", "-i", _key, "-o", old, _secret]).ExitCode);
        Assert.Equal(Private, File.GetUnixFileMode(old));
        Assert.Equal("hunter2hunter2", File.ReadAllText(old));
    }

    [Theory]
    [InlineData("077", "encrypt", 0b110_000_000)]
    [InlineData("002", "encrypt", 0b110_110_100)]
    [InlineData("022", "keygen-y", 0b110_100_100)]
    [InlineData("000", "decrypt", 0b110_000_000)]
    public void New_outputs_follow_the_umask_except_plaintext(string umask, string what, int expected)
    {
        var output = _dir.File("out-" + what);
        string[] args = what switch
        {
            "encrypt" => ["age", "encrypt", "-r", _id.Recipient.ToString(), "-o", output, _key],
            "keygen-y" => ["age", "keygen", "-y", "-o", output, _key],
            _ => ["age", "decrypt", "-i", _key, "-o", output, _secret],
        };
        var (code, stderr) = RunWithUmask(umask, args);
        Assert.True(code == 0, stderr);
        Assert.Equal((UnixFileMode)expected, File.GetUnixFileMode(output));
    }

    [Theory]
    [InlineData("decrypt")]
    [InlineData("encrypt")]
    public void An_output_that_leads_to_the_input_through_a_link_is_refused(string operation)
    {
        File.CreateSymbolicLink(_dir.File("out.txt"), "secret.age");
        Directory.CreateSymbolicLink(_dir.File("here"), _dir.Path);
        var before = File.ReadAllBytes(_secret);
        foreach (var output in new[] { _dir.File("out.txt"), Path.Combine(_dir.File("here"), "secret.age") })
        {
            string[] args = operation == "decrypt"
                ? ["age", "decrypt", "-i", _key, "-o", output, _secret]
                : ["age", "encrypt", "-r", _id.Recipient.ToString(), "-o", output, _secret];
            var r = CliRunner.Run(args);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("keyward: error: the output file is the input file", r.Stderr, StringComparison.Ordinal);
            Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(_secret));
        }
    }

    [Fact]
    public void Keygen_refuses_a_dangling_link_and_writes_nothing_where_it_points()
    {
        Directory.CreateDirectory(_dir.File("elsewhere"));
        var planted = _dir.File("elsewhere/planted-key.txt");
        var link = _dir.File("new-key.txt");
        File.CreateSymbolicLink(link, planted);
        var r = CliRunner.Run(["age", "keygen", "-o", link]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"keyward: error: refusing to write \"{link}\": it is a symbolic link", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("AGE-SECRET-KEY", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(planted));
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Seal_refuses_an_output_that_is_a_link_to_its_input()
    {
        using var fixture = new SealingFixture();
        var link = fixture.File("sealed.yaml");
        File.CreateSymbolicLink(link, fixture.SecretPath);
        var before = File.ReadAllBytes(fixture.SecretPath);
        var r = CliRunner.Run(["seal", "--cert", fixture.CertPath, "-o", link, fixture.SecretPath]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("the output file is the input file", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(fixture.SecretPath));
    }

    /// <summary>A real keyward process started by a shell that set <paramref name="umask"/> first.</summary>
    private static (int Code, string Stderr) RunWithUmask(string umask, string[] args)
    {
        var keyward = KeywardProcess.StartInfo(args);
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"umask {umask} && exec \"$@\"");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(keyward.FileName);
        foreach (var a in keyward.ArgumentList)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stderr);
    }
}
