using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// <c>keyward decrypt FILE -i KEY</c> by habit from age (-i is --identity there) with no key configured: the error
/// must say that -i is --in-place here and how to give the key, never print the key, and write nothing.
/// </summary>
public sealed class DecryptInPlaceHintTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly X25519Identity _key = X25519Identity.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    // No identity anywhere: HOME is the empty test folder and no SOPS_AGE_* variable is set.
    private CliRunner.Result Run(params string[] args) =>
        CliRunner.Run(args, environment: name => name == "HOME" ? _dir.Path : null);

    private string Encrypted()
    {
        var path = _dir.File("s.yaml");
        File.WriteAllText(path, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: n\nstringData:\n  token: x\n");
        var r = Run("encrypt", "-i", "--age", _key.Recipient.ToString(), path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return path;
    }

    [Fact]
    public void A_key_file_after_i_is_named_with_the_in_place_hint_though_no_key_is_configured()
    {
        var file = Encrypted();
        var keyFile = _dir.File("age.key");
        File.WriteAllText(keyFile, $"# public key: {_key.Recipient}\n{_key.ExportSecretKey()}\n");
        var before = File.ReadAllBytes(file);
        var r = Run("decrypt", file, "-i", keyFile);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"\"{keyFile}\" is an age identity file, not a SOPS file", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("-i means --in-place", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"--identity \"{keyFile}\"", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_key.ExportSecretKey()[16..24], r.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void In_place_with_no_identity_found_says_what_i_means()
    {
        var file = Encrypted();
        var r = Run("decrypt", "-i", file);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("identities tried: none found", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("-i means --in-place", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("--identity KEY", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("SOPS_AGE_KEY_FILE", r.Stderr, StringComparison.Ordinal);
    }
}
