using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Sealing;

/// <summary>keyward seal reads a SOPS-encrypted Secret (a real sops file from Flux's tests) without writing plaintext anywhere.</summary>
public sealed class SealSopsInputTests
{
    private static string Fixture => SharedMaterial.Path("conformance", "sops", "fixtures", "flux-kustomize-controller", "algorithms", "age.yaml");

    private static string Identity => SharedMaterial.Path("conformance", "sops", "fixtures", "keys", "flux-age.txt");

    [Fact]
    public void Sops_input_is_decrypted_in_memory_and_sealed()
    {
        using var f = new SealingFixture();
        File.Copy(Fixture, f.File("secret.enc.yaml"));
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "-i", Identity, "--namespace", "flux-system", "-o", f.File("sealed.yaml"), f.File("secret.enc.yaml")]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(["cert.pem", "sealed.yaml", "secret.enc.yaml", "secret.yaml"], Directory.GetFiles(f.Dir.Path).Select(Path.GetFileName).Order());
        var unsealed = CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("sealed.yaml")]);
        Assert.Equal(0, unsealed.ExitCode);
        Assert.Contains("key: dmFsdWU=", unsealed.StdoutText, StringComparison.Ordinal);
        Assert.Contains("name: age", unsealed.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Sops_identity_can_come_from_SOPS_AGE_KEY_FILE()
    {
        using var f = new SealingFixture();
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "--namespace", "flux-system", Fixture],
            environment: name => name == "SOPS_AGE_KEY_FILE" ? Identity : null);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("kind: SealedSecret", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_MAC_mismatch_hints_at_a_command_that_exists()
    {
        using var f = new SealingFixture();
        File.WriteAllText(f.File("tampered.yaml"), File.ReadAllText(Fixture).Replace("name: age", "name: agx", StringComparison.Ordinal));
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "-i", Identity, "--namespace", "flux-system", f.File("tampered.yaml")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MAC mismatch", result.Stderr, StringComparison.Ordinal);
        var hint = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("keyward: hint: ", StringComparison.Ordinal));
        Assert.Contains("keyward decrypt --ignore-mac", hint, StringComparison.Ordinal);
        Assert.DoesNotContain("pass --ignore-mac", hint, StringComparison.Ordinal);
        // The flag it names is one that decrypt takes.
        var decrypt = CliRunner.Run(["decrypt", "--ignore-mac", "--identity", Identity, f.File("tampered.yaml")]);
        Assert.True(decrypt.ExitCode == 0, decrypt.Stderr);
    }

    [Fact]
    public void Sops_input_without_a_matching_identity_fails_and_writes_nothing()
    {
        using var f = new SealingFixture();
        var other = SharedMaterial.Path("conformance", "sops", "fixtures", "keys", "flux-age-global.txt");
        var result = CliRunner.Run(["seal", "--cert", f.CertPath, "-i", other, "--namespace", "flux-system", "-o", f.File("sealed.yaml"), Fixture]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("keyward: error:", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(f.File("sealed.yaml")));
    }
}
