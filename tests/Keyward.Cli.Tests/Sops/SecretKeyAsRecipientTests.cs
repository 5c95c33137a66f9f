using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// A secret age key given where a recipient belongs (a flag, a .sops.yaml rule) is refused and never printed, in
/// upper or lower case, with spaces around it: those messages end up in terminals and CI logs.
/// </summary>
public sealed class SecretKeyAsRecipientTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly X25519Identity _key = X25519Identity.Generate();
    private readonly string _secret;

    public SecretKeyAsRecipientTests() => _secret = _key.ExportSecretKey();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    /// <summary>The key in the forms a paste or a typo gives it.</summary>
    public static TheoryData<string> Forms => new() { "upper", "lower", "spaced" };

    private string Form(string form) => form switch
    {
        "lower" => _secret.ToLowerInvariant(),
        "spaced" => " " + _secret,
        _ => _secret,
    };

    private CliRunner.Result Run(params string[] args) =>
        CliRunner.Run(args, environment: name => name switch
        {
            "SOPS_AGE_KEY" => _secret,
            "HOME" => _dir.Path,
            "OVH_APPLICATION_KEY" => "ak",
            _ => null,
        });

    /// <summary>Refused as a usage error, the key named for what it is, none of its body anywhere in the output.</summary>
    private void AssertRefusedWithoutEcho(CliRunner.Result r)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("secret key", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", r.Stderr, StringComparison.Ordinal);
        // The body after AGE-SECRET-KEY-1, in either case: a prefix of it would already be a leak.
        Assert.DoesNotContain(_secret[16..24], r.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_secret[16..24], r.StdoutText, StringComparison.OrdinalIgnoreCase);
    }

    private string Plain(string name)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2hunter2}\n");
        return path;
    }

    private string Encrypted(string name)
    {
        var path = Plain(name);
        var r = Run("encrypt", "-i", "--age", _key.Recipient.ToString(), path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return path;
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Encrypt_age_flag(string form) => AssertRefusedWithoutEcho(Run("encrypt", "--age", Form(form), Plain("s.yaml")));

    [Theory]
    [MemberData(nameof(Forms))]
    public void A_creation_rule_in_sops_yaml(string form)
    {
        var config = _dir.File(".sops.yaml");
        File.WriteAllText(config, $"creation_rules:\n  - age: '{Form(form)}'\n");
        AssertRefusedWithoutEcho(Run("encrypt", "--config", config, Plain("s.yaml")));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Rotate_add_age(string form)
    {
        var path = Encrypted("r.yaml");
        var before = File.ReadAllBytes(path);
        AssertRefusedWithoutEcho(Run("rotate", "-i", "--add-age", Form(form), path));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Rotate_rm_age(string form)
    {
        var path = Encrypted("r.yaml");
        var before = File.ReadAllBytes(path);
        AssertRefusedWithoutEcho(Run("rotate", "-i", "--rm-age", Form(form), path));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Updatekeys_shows_the_change_without_the_key()
    {
        var path = Encrypted("u.yaml");
        var config = _dir.File(".sops.yaml");
        File.WriteAllText(config, $"creation_rules:\n  - age: {_key.Recipient},{_secret}\n");
        var before = File.ReadAllBytes(path);
        AssertRefusedWithoutEcho(Run("updatekeys", "-y", "--config", config, path));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Ovh_secret_age_goes_the_same_way()
    {
        File.WriteAllText(_dir.File("as"), "x");
        File.WriteAllText(_dir.File("ck"), "y");
        var output = _dir.File("o.yaml");
        AssertRefusedWithoutEcho(Run("ovh", "secret", "--profile", "external-dns", "--zone", "ex.com", "-n", "ns",
            "--application-secret-file", _dir.File("as"), "--consumer-key-file", _dir.File("ck"), "--offline", "--age", _secret, "-o", output));
        Assert.False(File.Exists(output));
    }
}
