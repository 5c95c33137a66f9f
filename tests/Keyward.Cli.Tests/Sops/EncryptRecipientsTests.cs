using Keyward.Age.Recipients;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Sops;

/// <summary>Where encrypt's recipients come from: --age (comma lists and repeats), or .sops.yaml, and the error when neither gives any.</summary>
public sealed class EncryptRecipientsTests : KeyedSopsTest
{
    private const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: n\nstringData:\n  token: x\n";

    [Fact]
    public void Age_repeats_like_a_comma_list()
    {
        using var second = X25519Identity.Generate();
        using var third = X25519Identity.Generate();
        var path = Dir.File("p.yaml");
        File.WriteAllText(path, "k: v\n");
        var r = Run("encrypt", "--age", Recipient, "--age", $"{second.Recipient},{third.Recipient}", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var text = r.StdoutText;
        foreach (var recipient in new[] { Recipient, second.Recipient.ToString(), third.Recipient.ToString() })
            Assert.Contains(recipient, text, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_config_the_error_says_no_recipients_were_given_and_no_note_comes_first()
    {
        // A folder of its own, outside the temporary folder, so no .sops.yaml above it is found.
        var lone = Directory.CreateTempSubdirectory("keyward-no-config-");
        try
        {
            var path = Path.Combine(lone.FullName, "s.yaml");
            File.WriteAllText(path, Secret);
            var r = Run("encrypt", "-i", path);
            Assert.Equal(2, r.ExitCode);
            Assert.DoesNotContain("keyward: note:", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("creation rule in .sops.yaml", r.Stderr, StringComparison.Ordinal);
            Assert.Contains($"no age recipients for \"{path}\": no --age was given and no .sops.yaml was found", r.Stderr, StringComparison.Ordinal);
            Assert.Contains("keyward: hint: pass --age age1..., or create a .sops.yaml", r.Stderr, StringComparison.Ordinal);
            Assert.Equal(Secret, File.ReadAllText(path));
        }
        finally
        {
            lone.Delete(recursive: true);
        }
    }

    [Fact]
    public void With_a_config_and_no_matching_rule_the_error_names_the_config()
    {
        var config = Dir.File(".sops.yaml");
        File.WriteAllText(config, $"creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    age: {Recipient}\n");
        var path = Dir.File("s.yaml");
        File.WriteAllText(path, Secret);
        var r = Run("encrypt", "--config", config, "-i", path);
        Assert.Equal(2, r.ExitCode);
        Assert.DoesNotContain("keyward: note:", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"no creation rule in \"{config}\" matches it", r.Stderr, StringComparison.Ordinal);
    }
}
