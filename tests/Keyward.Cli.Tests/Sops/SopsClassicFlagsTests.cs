using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// sops's classic mode flags, as the Flux guide writes them (<c>sops --age=... --encrypt ... --in-place FILE</c>),
/// work with the command name changed: -e/--encrypt, -d/--decrypt and -r/--rotate stand for the subcommands.
/// </summary>
public sealed class SopsClassicFlagsTests : KeyedSopsTest
{
    private const string Plain = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: capmox-manager-credentials\n  namespace: cluster09\nstringData:\n  secret: 7f3c9a2e-51b4-4d8e\n";

    private readonly X25519Identity _other = X25519Identity.Generate();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _other.Dispose();
        base.Dispose(disposing);
    }

    private string PlainFile()
    {
        var path = Dir.File("cluster09-proxmox-secret.yaml");
        File.WriteAllText(path, Plain);
        return path;
    }

    [Fact]
    public void The_flux_guide_command_encrypts_in_place()
    {
        var path = PlainFile();
        var r = Run($"--age={Key.Recipient}", "--encrypt", "--encrypted-regex", "^(data|stringData)$", "--in-place", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var text = File.ReadAllText(path);
        Assert.DoesNotContain("7f3c9a2e", text, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: ^(data|stringData)$", text, StringComparison.Ordinal);

        var d = Run("-d", path);
        Assert.True(d.ExitCode == 0, d.Stderr);
        Assert.Equal(Plain, d.StdoutText);
    }

    [Fact]
    public void Short_and_long_forms_with_other_flags_before_or_after()
    {
        var path = PlainFile();
        var e = Run("-e", "--age", Recipient, path);
        Assert.True(e.ExitCode == 0, e.Stderr);
        var encrypted = Dir.File("enc.yaml");
        File.WriteAllBytes(encrypted, e.Stdout);

        var extract = Run("--extract", "[\"stringData\"][\"secret\"]", "--decrypt", encrypted);
        Assert.True(extract.ExitCode == 0, extract.Stderr);
        Assert.Equal("7f3c9a2e-51b4-4d8e", extract.StdoutText);

        var rotate = Run("-r", "-i", $"--add-age={_other.Recipient}", encrypted);
        Assert.True(rotate.ExitCode == 0, rotate.Stderr);
        Assert.Contains(_other.Recipient.ToString(), File.ReadAllText(encrypted), StringComparison.Ordinal);
        var rotated = Run("--rotate", "--in-place", "--rm-age", _other.Recipient.ToString(), encrypted);
        Assert.True(rotated.ExitCode == 0, rotated.Stderr);
        Assert.DoesNotContain(_other.Recipient.ToString(), File.ReadAllText(encrypted), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_mode_flags_are_a_usage_error_and_nothing_is_written()
    {
        var path = PlainFile();
        var r = Run("-e", "-d", "-i", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("keyward: error: -e and -d cannot be combined", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(Plain, File.ReadAllText(path));
    }

    [Fact]
    public void A_named_subcommand_is_never_rewritten()
    {
        // -r is age's --recipient here, and -d is no flag of age encrypt: both must reach the subcommand as given.
        var enc = Run("--debug", "age", "encrypt", "-r", Recipient, "-a");
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        var path = PlainFile();
        var d = Run("decrypt", "-d", path);
        Assert.Equal(2, d.ExitCode);
        Assert.Contains("\"-d\"", d.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_mode_flag_the_error_is_as_before()
    {
        var r = Run($"--age={Key.Recipient}", PlainFile());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("keyward: error: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
    }
}
