using Keyward.Age.Keys;
using Keyward.Manifests;
using Keyward.Sops.Crypto;
using Keyward.Testing;

namespace Keyward.Sealing.Tests;

/// <summary>A SOPS-encrypted Secret (Flux's age fixture, made by the real sops) is decrypted in memory and sealed.</summary>
public sealed class SopsInputTests
{
    private static string Fixture => SharedMaterial.Path("conformance", "sops", "fixtures", "flux-kustomize-controller", "algorithms", "age.yaml");

    private static IdentitySet Identities()
    {
        var path = SharedMaterial.Path("conformance", "sops", "fixtures", "keys", "flux-age.txt");
        var set = new IdentitySet();
        set.Add(AgeKeyFile.ParseIdentities(File.ReadAllText(path), "flux-age.txt"), "flux-age.txt");
        return set;
    }

    [Fact]
    public void Sops_fixture_is_detected_and_a_plain_Secret_is_not()
    {
        Assert.True(SopsSecretInput.IsSopsEncrypted(ManifestLoader.Load(File.ReadAllText(Fixture), "age.yaml").Documents));
        Assert.False(SopsSecretInput.IsSopsEncrypted(ManifestLoader.Load("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n", "x").Documents));
    }

    [Fact]
    public void Sops_encrypted_Secret_seals_to_values_that_unseal_to_the_sops_plaintext()
    {
        var plaintext = SopsSecretInput.Decrypt(File.ReadAllBytes(Fixture), "age.yaml", Identities());
        var document = Assert.Single(ManifestLoader.Load(System.Text.Encoding.UTF8.GetString(plaintext), "age.yaml (decrypted)").Documents);
        Assert.Null(document.Root.Child("sops"));
        using var secret = SecretManifest.FromDocument(document);
        var sealedSecret = new Sealer(TestKeys.Certificate(), new SealOptions { Namespace = "flux-system" }).Seal(secret);
        var text = ManifestWriter.ToYaml([sealedSecret]);
        Assert.DoesNotContain("ENC[", text, StringComparison.Ordinal);
        var unsealed = new Unsealer(TestKeys.Ring()).Unseal(SealedSecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(text, "s").Documents)));
        Assert.Equal(Convert.ToBase64String("value"u8), (string?)unsealed["data"]!["key"]);
    }

    [Fact]
    public void Tampered_sops_file_is_refused_by_its_MAC()
    {
        var text = File.ReadAllText(Fixture).Replace("name: age", "name: agx", StringComparison.Ordinal);
        var error = Assert.Throws<Keyward.Core.KeywardException>(() => SopsSecretInput.Decrypt(System.Text.Encoding.UTF8.GetBytes(text), "age.yaml", Identities()));
        Assert.Contains("MAC mismatch", error.Message, StringComparison.Ordinal);
        // seal has no --ignore-mac; the way round it is decrypt's flag, through a pipe.
        Assert.Contains("keyward decrypt --ignore-mac", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("pass --ignore-mac", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Sops_file_without_a_MAC_is_refused_with_a_hint_that_works_for_seal()
    {
        var lines = File.ReadAllLines(Fixture).Where(l => !l.StartsWith("  mac:", StringComparison.Ordinal));
        var text = string.Join('\n', lines) + "\n";
        var error = Assert.Throws<Keyward.Core.KeywardException>(() => SopsSecretInput.Decrypt(System.Text.Encoding.UTF8.GetBytes(text), "age.yaml", Identities()));
        Assert.Contains("no MAC", error.Message, StringComparison.Ordinal);
        Assert.Contains("keyward decrypt --ignore-mac", error.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("pass --ignore-mac", error.Hint, StringComparison.Ordinal);
    }
}
