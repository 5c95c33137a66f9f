using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>
/// <c>encrypt --recursive</c> writes in place: it names each file it encrypted, and leaves alone a file in which the
/// creation rule encrypts nothing (an RBAC Role under encrypted_regex ^(data|stringData)$) instead of giving it a sops block.
/// </summary>
public sealed class EncryptRecursiveReportTests : KeyedSopsTest
{
    private const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: a\nstringData:\n  password: Pq7rS2tU9vW4xY1z\n";
    private const string Role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: secret-reader\n  namespace: a\nrules:\n- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  verbs: [\"get\"]\n";

    private (string Secret, string Role) Layout()
    {
        File.WriteAllText(Dir.File(".sops.yaml"), $"creation_rules:\n  - path_regex: .*secret.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: {Recipient}\n");
        Directory.CreateDirectory(Dir.File("apps"));
        var secret = Dir.File("apps/db-secret.yaml");
        var role = Dir.File("apps/secret-reader.yaml");
        File.WriteAllText(secret, Secret);
        File.WriteAllText(role, Role);
        return (secret, role);
    }

    [Fact]
    public void Recursive_names_each_file_it_encrypts_and_skips_one_the_rule_encrypts_nothing_in()
    {
        var (secret, role) = Layout();
        var r = Run("encrypt", "--config", Dir.File(".sops.yaml"), "--recursive", Dir.File("apps"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("sops:", File.ReadAllText(secret), StringComparison.Ordinal);
        Assert.Equal(Role, File.ReadAllText(role));
        Assert.Contains($"keyward: encrypted \"{secret}\"", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"keyward: note: skipped \"{role}\": the encryption rule (encrypted_regex ^(data|stringData)$) encrypts no value in it", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain($"encrypted \"{role}\"", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Pq7rS2tU9vW4xY1z", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void A_file_named_explicitly_is_encrypted_as_sops_does_with_a_warning_that_nothing_was()
    {
        var (_, role) = Layout();
        var r = Run("encrypt", "--config", Dir.File(".sops.yaml"), "-i", role);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("sops:", File.ReadAllText(role), StringComparison.Ordinal);
        Assert.Contains($"keyward: warning: \"{role}\": the encryption rule (encrypted_regex ^(data|stringData)$) encrypts no value in it", r.Stderr, StringComparison.Ordinal);
    }
}
