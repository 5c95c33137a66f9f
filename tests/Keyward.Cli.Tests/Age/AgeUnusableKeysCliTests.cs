using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Age;

/// <summary>
/// Keys keyward cannot use (post-quantum, passphrase-protected SSH keys) next to keys it can: the usable ones still
/// work, as they do with age and sops. And the errors around identities and recipients say what happened, with
/// usage and input errors exiting 2 in every command.
/// </summary>
public class AgeUnusableKeysCliTests
{
    private const string PqLine = "AGE-SECRET-KEY-PQ-1Z8QMHKS77CVF95LF38SMLT0MEFR00HVMW58DJGD5USLGCVXTJCSQNRKCNK";

    private static (string IdentityPath, string Recipient) Keygen(TempDir dir, string name)
    {
        var path = dir.File(name);
        var r = CliRunner.Run(["age", "keygen", "-o", path]);
        Assert.Equal(0, r.ExitCode);
        return (path, r.Stderr.Trim()["Public key: ".Length..]);
    }

    private static string Encrypted(TempDir dir, string recipient)
    {
        var path = dir.File("m.age");
        Assert.Equal(0, CliRunner.Run(["age", "encrypt", "-r", recipient, "-o", path], "hello"u8.ToArray()).ExitCode);
        return path;
    }

    [RequiresToolFact("ssh-keygen")]
    public void A_passphrase_protected_ssh_key_next_to_a_usable_key_does_not_stop_it()
    {
        using var dir = new TempDir();
        var (key, recipient) = Keygen(dir, "a.key");
        var locked = dir.File("id_locked");
        Assert.Equal(0, ExternalTool.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "pw-1234", "-C", "", "-f", locked]).ExitCode);
        var file = Encrypted(dir, recipient);

        var dec = CliRunner.Run(["age", "decrypt", "-i", locked, "-i", key, file]);
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        Assert.Equal("hello", dec.StdoutText);

        // age encrypts to such a key from its public half, which the OpenSSH file holds in the clear.
        var forLocked = CliRunner.Run(["age", "encrypt", "-i", locked], "hi"u8.ToArray());
        Assert.True(forLocked.ExitCode == 0, forLocked.Stderr);
        File.WriteAllBytes(dir.File("l.age"), forLocked.Stdout);
        var refused = CliRunner.Run(["age", "decrypt", "-i", key, "-i", locked, dir.File("l.age")]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("keyward: error: \"" + locked + "\": passphrase-protected SSH private keys are not supported yet", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_file_with_a_post_quantum_line_still_opens_files_for_its_other_keys()
    {
        using var dir = new TempDir();
        var (key, recipient) = Keygen(dir, "a.key");
        var mixed = dir.File("mixed.txt");
        File.WriteAllText(mixed, File.ReadAllText(key) + "# post-quantum\n" + PqLine + "\n");
        var dec = CliRunner.Run(["age", "decrypt", "-i", mixed, Encrypted(dir, recipient)]);
        Assert.True(dec.ExitCode == 0, dec.Stderr);
        Assert.Equal("hello", dec.StdoutText);
    }

    [Fact]
    public void Decrypting_without_an_identity_says_none_was_given()
    {
        using var dir = new TempDir();
        var (_, recipient) = Keygen(dir, "a.key");
        var dec = CliRunner.Run(["age", "decrypt", Encrypted(dir, recipient)]);
        Assert.Equal(2, dec.ExitCode);
        Assert.Contains("keyward: error: no identity given: the file is for X25519 recipients", dec.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: pass the identity file with -i", dec.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("scrypt", dec.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("age1qqq")]
    [InlineData("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=")]
    public void A_bad_recipient_is_an_input_error_in_every_command(string recipient)
    {
        using var dir = new TempDir();
        var plain = dir.File("f.yaml");
        File.WriteAllText(plain, "a: b\n");
        Assert.Equal(2, CliRunner.Run(["age", "encrypt", "-r", recipient], "hi"u8.ToArray()).ExitCode);
        Assert.Equal(2, CliRunner.Run(["encrypt", "--age", recipient, plain]).ExitCode);
        Assert.Equal("a: b\n", File.ReadAllText(plain));
    }

    [Fact]
    public void A_public_key_given_as_an_identity_is_an_input_error()
    {
        using var dir = new TempDir();
        var (_, recipient) = Keygen(dir, "a.key");
        var pub = dir.File("a.pub");
        File.WriteAllText(pub, recipient + "\n");
        var dec = CliRunner.Run(["age", "decrypt", "-i", pub, Encrypted(dir, recipient)]);
        Assert.Equal(2, dec.ExitCode);
        Assert.Contains("keyward: hint: ", dec.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_a_post_quantum_identity_for_its_recipient_is_an_input_error_with_a_hint_that_fits()
    {
        using var dir = new TempDir();
        var (key, _) = Keygen(dir, "a.key");
        var mixed = dir.File("mixed.txt");
        File.WriteAllText(mixed, File.ReadAllText(key) + PqLine + "\n");
        foreach (var args in new[] { new[] { "age", "keygen", "-y", mixed }, ["age", "encrypt", "-i", mixed] })
        {
            var run = CliRunner.Run(args, "hi"u8.ToArray());
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("post-quantum (mlkem768x25519) identities are not supported yet; its public key cannot be read from it", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("keyward: hint: pass its public key instead", run.Stderr, StringComparison.Ordinal);
        }
    }
}
