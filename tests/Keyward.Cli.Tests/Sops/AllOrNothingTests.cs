using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// Commands that take several files read and process every one in memory before they write any: one bad argument
/// (a key file typed after -i by habit, a file that is not encrypted, one for another key) changes nothing.
/// </summary>
public sealed class AllOrNothingTests : IDisposable
{
    private const string Plain = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\nstringData:\n  applicationSecret: SUPERSECRETvalue123\n";

    private readonly TempDir _dir = new();
    private readonly X25519Identity _key = X25519Identity.Generate();
    private readonly X25519Identity _other = X25519Identity.Generate();
    private readonly string _keyFile;

    public AllOrNothingTests()
    {
        _keyFile = _dir.File("age.key");
        File.WriteAllText(_keyFile, $"# created: 2026-01-01T00:00:00Z\n# public key: {_key.Recipient}\n{_key.ExportSecretKey()}\n");
    }

    public void Dispose()
    {
        _key.Dispose();
        _other.Dispose();
        _dir.Dispose();
    }

    private CliRunner.Result Run(params string[] args) =>
        CliRunner.Run(args, environment: name => name switch
        {
            "SOPS_AGE_KEY_FILE" => _keyFile,
            "HOME" => _dir.Path,
            _ => null,
        });

    private string Encrypted(string name, X25519Identity? to = null)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, Plain);
        var r = Run("encrypt", "-i", "--age", (to ?? _key).Recipient.ToString(), path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return path;
    }

    private void AssertNoSecretKey(CliRunner.Result r)
    {
        Assert.DoesNotContain(_key.ExportSecretKey()[16..24], r.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_key.ExportSecretKey()[16..24], r.StdoutText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Decrypt_i_with_an_identity_file_after_it_changes_nothing_and_says_what_i_means()
    {
        var file = Encrypted("s.sops.yaml");
        var before = File.ReadAllBytes(file);
        var keyBefore = File.ReadAllBytes(_keyFile);

        var r = Run("decrypt", file, "-i", _keyFile);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"keyward: error: \"{_keyFile}\" is an age identity file, not a SOPS file", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("-i means --in-place", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("SOPS_AGE_KEY_FILE", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("--identity", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("JSON", r.Stderr, StringComparison.Ordinal);
        AssertNoSecretKey(r);
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Equal(keyBefore, File.ReadAllBytes(_keyFile));
    }

    [Fact]
    public void Commands_without_i_name_the_identity_file_too_without_the_in_place_remark()
    {
        var file = Encrypted("s.sops.yaml");
        var r = Run("exec-env", _keyFile, "true");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"\"{_keyFile}\" is an age identity file, not a SOPS file", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("-i means", r.Stderr, StringComparison.Ordinal);
        AssertNoSecretKey(r);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public void A_private_key_given_as_a_file_is_named_as_one()
    {
        var file = Encrypted("s.sops.yaml");
        var before = File.ReadAllBytes(file);
        var ssh = _dir.File("id_ed25519");
        File.WriteAllText(ssh, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n");
        var r = Run("decrypt", "-i", file, ssh);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"\"{ssh}\" is a private key, not a SOPS file", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("b3BlbnNzaC1rZXkt", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));
    }

    [Fact]
    public void Decrypt_in_place_of_several_files_writes_none_when_one_fails()
    {
        var first = Encrypted("a.yaml");
        var second = Encrypted("b.yaml", to: _other);
        var firstBefore = File.ReadAllBytes(first);
        var secondBefore = File.ReadAllBytes(second);
        var r = Run("decrypt", "-i", first, second);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no identity matched", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(firstBefore, File.ReadAllBytes(first));
        Assert.Equal(secondBefore, File.ReadAllBytes(second));

        // To stdout the same: nothing of the first file is printed before the second fails.
        var printed = Run("decrypt", first, second);
        Assert.Equal(1, printed.ExitCode);
        Assert.Empty(printed.Stdout);
    }

    [Fact]
    public void Encrypt_of_several_files_writes_none_when_one_is_already_encrypted()
    {
        var done = Encrypted("done.yaml");
        var fresh = _dir.File("fresh.yaml");
        File.WriteAllText(fresh, Plain);
        var doneBefore = File.ReadAllBytes(done);
        var r = Run("encrypt", "-i", "--age", _key.Recipient.ToString(), fresh, done);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("already encrypted", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(Plain, File.ReadAllText(fresh));
        Assert.Equal(doneBefore, File.ReadAllBytes(done));
    }

    [Fact]
    public void Encrypt_in_place_refuses_an_identity_file_and_leaves_both_files_alone()
    {
        var fresh = _dir.File("fresh.yaml");
        File.WriteAllText(fresh, Plain);
        var keyBefore = File.ReadAllBytes(_keyFile);
        var r = Run("encrypt", "--age", _key.Recipient.ToString(), fresh, "-i", _keyFile);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"\"{_keyFile}\" is an age identity file", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("--output", r.Stderr, StringComparison.Ordinal);
        AssertNoSecretKey(r);
        Assert.Equal(Plain, File.ReadAllText(fresh));
        Assert.Equal(keyBefore, File.ReadAllBytes(_keyFile));

        // An encrypted copy written elsewhere is a deliberate act, and allowed.
        var copy = _dir.File("age.key.enc");
        var kept = Run("encrypt", "--age", _other.Recipient.ToString(), "--input-type", "binary", "--output", copy, _keyFile);
        Assert.True(kept.ExitCode == 0, kept.Stderr);
        Assert.Equal(keyBefore, File.ReadAllBytes(_keyFile));
    }

    [Fact]
    public void Encrypt_refuses_to_replace_a_private_key_or_an_identity_by_its_ciphertext_in_place_or_through_output()
    {
        var fresh = _dir.File("secret.yaml");
        File.WriteAllText(fresh, Plain);
        var ssh = _dir.File("id_ed25519");
        const string SshKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n";
        File.WriteAllText(ssh, SshKey);
        // -i read as --identity: both files would have been encrypted in place, the key by itself.
        var inPlace = Run("encrypt", "--age", _key.Recipient.ToString(), "-i", ssh, fresh);
        Assert.Equal(2, inPlace.ExitCode);
        Assert.Contains($"\"{ssh}\" is a private key; encrypting it in place would leave only its ciphertext", inPlace.Stderr, StringComparison.Ordinal);
        Assert.Equal(SshKey, File.ReadAllText(ssh));
        Assert.Equal(Plain, File.ReadAllText(fresh));

        // --output naming the input, directly or through a link, is in place too.
        var keyBefore = File.ReadAllBytes(_keyFile);
        var link = _dir.File("key-link");
        File.CreateSymbolicLink(link, _keyFile);
        foreach (var output in new[] { _keyFile, link })
        {
            var through = Run("encrypt", "--age", _key.Recipient.ToString(), "--input-type", "binary", "--output", output, _keyFile);
            Assert.Equal(2, through.ExitCode);
            Assert.Contains("is an age identity file; encrypting it in place", through.Stderr, StringComparison.Ordinal);
            Assert.Equal(keyBefore, File.ReadAllBytes(_keyFile));
        }
    }

    [Fact]
    public void Output_with_several_files_is_refused()
    {
        var first = Encrypted("a.yaml");
        var second = Encrypted("b.yaml");
        var output = _dir.File("out.yaml");
        var r = Run("decrypt", "--output", output, first, second);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--output", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Updatekeys_of_several_files_writes_none_when_one_cannot_be_opened()
    {
        var first = Encrypted("a.yaml");
        var second = Encrypted("b.yaml", to: _other);
        var firstBefore = File.ReadAllBytes(first);
        var secondBefore = File.ReadAllBytes(second);
        var config = _dir.File(".sops.yaml");
        File.WriteAllText(config, $"creation_rules:\n  - age: {_key.Recipient},{_other.Recipient}\n");
        var r = Run("updatekeys", "-y", "--config", config, first, second);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no identity matched", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(firstBefore, File.ReadAllBytes(first));
        Assert.Equal(secondBefore, File.ReadAllBytes(second));
    }
}
