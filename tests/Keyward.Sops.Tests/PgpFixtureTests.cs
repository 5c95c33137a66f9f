using System.Text;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;
using Keyward.Testing;

namespace Keyward.Sops.Tests;

/// <summary>
/// PGP-wrapped fixtures: Keyward cannot unwrap PGP, so gpg (with the published test key) gives the data key and the
/// library decrypts with it: values, types and MACs must match, and sops's exact decrypt output bytes too.
/// </summary>
public sealed class PgpFixtureTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("keyward-gpg").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private byte[] DataKey(SopsFile file, string keyFile)
    {
        ExternalTool.Run("gpg", ["--homedir", _home, "--batch", "--import", FixtureSupport.Fixture("keys", keyFile)]);
        var pgp = file.Metadata!.KeyGroups.SelectMany(g => g.Foreign).First(f => f.Key == "pgp").Value;
        var enc = ((SopsScalar)((SopsMapping)pgp.Values.First())["enc"]!).Text;
        var result = ExternalTool.Run("gpg", ["--homedir", _home, "--batch", "--quiet", "-d"], Encoding.ASCII.GetBytes(enc));
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout;
    }

    public static TheoryData<string, string> PgpFixtures => new()
    {
        { "sops-repo-pgp/comments.enc.yaml", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/comments_unencrypted_comments.yaml", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/example.yaml", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/format.enc.yaml", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/multiple_keys.yaml", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/example.json", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/format.enc.json", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/example.ini", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/format.enc.ini", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/format-2.enc.ini", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/format.enc.env", "sops-functional-tests-pgp-key.asc" },
        { "sops-repo-pgp/example.txt", "sops-functional-tests-pgp-key.asc" },
        { "flux-kustomize-controller/algorithms/pgp.yaml", "flux-pgp.asc" },
    };

    [RequiresToolTheory("gpg")]
    [MemberData(nameof(PgpFixtures))]
    public void Decrypts_given_the_data_key_with_the_MAC_verified(string fixture, string keyFile)
    {
        var path = FixtureSupport.Fixture(fixture.Split('/'));
        var report = FixtureSupport.Report(path);
        var file = FixtureSupport.Load(path, FixtureSupport.StoreOf(report));
        var result = SopsEngine.DecryptWithDataKey(file, DataKey(file, keyFile));
        Assert.True(result.MacPresent);
        Assert.Equal(report.GetProperty("computed_mac").GetString(), result.ComputedMac);
        FixtureSupport.AssertLeavesMatch(report, file);
    }

    [RequiresToolTheory("gpg")]
    [InlineData("format.enc.yaml", "format.enc.plain.yaml")]
    [InlineData("format.enc.json", "format.enc.plain.json")]
    [InlineData("format.enc.env", "format.enc.plain.env")]
    [InlineData("format.enc.ini", "format.enc.plain.ini")]
    [InlineData("format-2.enc.ini", "format-2.enc.plain.ini")]
    public void Decrypted_output_is_byte_for_byte_what_sops_prints(string fixture, string plain)
    {
        var path = FixtureSupport.Fixture("sops-repo-pgp", fixture);
        var store = Stores.Stores.ForPath(path);
        var file = FixtureSupport.Load(path, store);
        SopsEngine.DecryptWithDataKey(file, DataKey(file, "sops-functional-tests-pgp-key.asc"));
        file.Metadata = null;
        var output = Encoding.UTF8.GetString(Stores.Stores.For(store).Write(file));
        var expected = File.ReadAllText(FixtureSupport.Fixture("sops-repo-pgp", plain));
        Assert.Equal(expected, output);
    }

    [RequiresToolFact("gpg")]
    public void Comments_decrypt_to_the_plaintext_the_sops_tests_encrypted()
    {
        var path = FixtureSupport.Fixture("sops-repo-pgp", "comments.enc.yaml");
        var file = FixtureSupport.Load(path, StoreKind.Yaml);
        SopsEngine.DecryptWithDataKey(file, DataKey(file, "sops-functional-tests-pgp-key.asc"));
        var plain = new YamlStore().Read(File.ReadAllBytes(FixtureSupport.Fixture("sops-repo-pgp", "comments.enc.plain.yaml")), "plain", encrypted: false);
        Assert.Equal(TreeLeaves.Dump(plain.Documents), TreeLeaves.Dump(file.Documents));
        Assert.Contains(" first comment in file", TreeLeaves.Comments(file.Documents));
    }

    [RequiresToolFact("gpg")]
    public void A_file_without_MAC_needs_ignore_mac()
    {
        var path = FixtureSupport.Fixture("sops-repo-pgp", "no_mac.yaml");
        var file = FixtureSupport.Load(path, StoreKind.Yaml);
        var key = DataKey(file, "sops-functional-tests-pgp-key.asc");
        var e = Assert.Throws<KeywardException>(() => SopsEngine.DecryptWithDataKey(file, key));
        Assert.Contains("no MAC", e.Message, StringComparison.Ordinal);
        file = FixtureSupport.Load(path, StoreKind.Yaml);
        SopsEngine.DecryptWithDataKey(file, key, new DecryptOptions { IgnoreMac = true });
        FixtureSupport.AssertLeavesMatch(FixtureSupport.Report(path), file);
    }

    [Fact]
    public void A_file_only_pgp_can_open_names_the_pgp_key()
    {
        var file = FixtureSupport.Load(FixtureSupport.Fixture("sops-repo-pgp", "example.yaml"), StoreKind.Yaml);
        var e = Assert.Throws<KeywardException>(() => SopsEngine.Decrypt(file, FixtureSupport.Identities("flux-age.txt")));
        Assert.Contains("pgp (FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4, D7229043384BCC60326C6FB9D8720D957C3D3074)", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not support", e.Message, StringComparison.Ordinal);
    }
}
