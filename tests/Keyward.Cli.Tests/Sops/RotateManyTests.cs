using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// After a leaked key every file moves to a new one (KW202's fix): rotate takes several files, in place, and changes
/// none of them when one cannot be rotated.
/// </summary>
public sealed class RotateManyTests : KeyedSopsTest
{
    private readonly X25519Identity _next = X25519Identity.Generate();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _next.Dispose();
        base.Dispose(disposing);
    }

    private string EncryptedFile(string name, string text)
    {
        var path = Dir.File(name);
        File.WriteAllText(path, text);
        var enc = Run("encrypt", "--age", Recipient, "-i", path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        return path;
    }

    [Fact]
    public void Several_files_move_to_a_new_recipient_in_place_each_named()
    {
        var a = EncryptedFile("a.enc.yaml", "token: one-Zq9vL2mX\n");
        var b = EncryptedFile("b.enc.yaml", "token: two-Zq9vL2mX\n");
        var run = Run("rotate", "--add-age", _next.Recipient.ToString(), "--rm-age", Recipient, a, b);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"keyward: rotated \"{a}\"", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"keyward: rotated \"{b}\"", run.Stderr, StringComparison.Ordinal);
        foreach (var path in new[] { a, b })
        {
            var text = File.ReadAllText(path);
            Assert.Contains(_next.Recipient.ToString(), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Recipient, text, StringComparison.Ordinal);
        }
        var withNew = CliRunner.Run(["decrypt", b], environment: name => name switch { "SOPS_AGE_KEY" => _next.ExportSecretKey(), "HOME" => Dir.Path, _ => null });
        Assert.True(withNew.ExitCode == 0, withNew.Stderr);
        Assert.Equal("token: two-Zq9vL2mX\n", withNew.StdoutText);
    }

    [Fact]
    public void One_file_that_cannot_be_rotated_changes_none()
    {
        var a = EncryptedFile("a.enc.yaml", "token: one-Zq9vL2mX\n");
        var plain = Dir.File("plain.yaml");
        File.WriteAllText(plain, "token: not-encrypted\n");
        var before = File.ReadAllText(a);
        var run = Run("rotate", "--add-age", _next.Recipient.ToString(), a, plain);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(before, File.ReadAllText(a));
        Assert.Equal("token: not-encrypted\n", File.ReadAllText(plain));
    }

    [Fact]
    public void Output_names_one_file()
    {
        var a = EncryptedFile("a.enc.yaml", "token: one-Zq9vL2mX\n");
        var b = EncryptedFile("b.enc.yaml", "token: two-Zq9vL2mX\n");
        var run = Run("rotate", "--output", Dir.File("out.yaml"), a, b);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--output names one file", run.Stderr, StringComparison.Ordinal);
    }
}
