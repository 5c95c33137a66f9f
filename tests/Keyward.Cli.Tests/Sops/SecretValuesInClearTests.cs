using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// A creation rule that does not select a Secret's values (encrypted_regex: ^data$ on a stringData Secret) makes sops
/// write them in clear under a sops block that looks like encryption. keyward writes what sops writes, and says so.
/// </summary>
public sealed class SecretValuesInClearTests : KeyedSopsTest
{
    private const string StringDataSecret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: Zq9vL2mXw8RtY4bN\n  user: shop\n";

    [Fact]
    public void Values_a_rule_leaves_in_clear_are_named_without_their_values()
    {
        File.WriteAllText(Dir.File(".sops.yaml"), $"creation_rules:\n  - encrypted_regex: ^data$\n    age: {Recipient}\n");
        var path = Dir.File("db.yaml");
        File.WriteAllText(path, StringDataSecret);
        var enc = Run("encrypt", "--in-place", path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        Assert.Contains($"keyward: warning: \"{path}\": Secret shop/db: stringData.password, stringData.user are left in clear by the encryption rule (encrypted_regex ^data$)", enc.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", enc.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq9vL2mXw8RtY4bN", enc.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_rule_and_a_rule_that_selects_the_values_say_nothing()
    {
        var path = Dir.File("db.yaml");
        File.WriteAllText(path, StringDataSecret);
        var enc = Run("encrypt", "--age", Recipient, path);
        Assert.True(enc.ExitCode == 0, enc.Stderr);
        Assert.DoesNotContain("in clear", enc.Stderr, StringComparison.Ordinal);

        var suffix = Run("encrypt", "--age", Recipient, "--encrypted-regex", "^(data|stringData)$", path);
        Assert.True(suffix.ExitCode == 0, suffix.Stderr);
        Assert.DoesNotContain("in clear", suffix.Stderr, StringComparison.Ordinal);
    }
}
