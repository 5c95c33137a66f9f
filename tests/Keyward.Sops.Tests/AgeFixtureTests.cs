using System.Security.Cryptography;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;

namespace Keyward.Sops.Tests;

/// <summary>Every age-encrypted fixture sops wrote decrypts to the values and types the reference report lists, MAC verified.</summary>
public class AgeFixtureTests
{
    public static TheoryData<string, string> AgeFixtures => new()
    {
        { "sops-pr1031/example.yaml", "sops-dev-age-key1.txt" },
        { "sops-pr1031/example.json", "sops-dev-age-key1.txt" },
        { "sops-pr1031/example.ini", "sops-dev-age-key1.txt" },
        { "sops-pr1031/example.txt", "sops-dev-age-key2.txt" },
        { "sops-pr1031/example.yaml", "sops-dev-age-keys.txt" },
        { "flux-kustomize-controller/algorithms/age.yaml", "flux-age.txt" },
        { "flux-kustomize-controller/patches/merge1.yaml", "flux-age.txt" },
        { "flux-kustomize-controller/patches/merge2.yaml", "flux-age.txt" },
        { "flux-kustomize-controller/global/secret.yaml", "flux-age-global.txt" },
        { "flux-kustomize-controller/component/env.env", "flux-age.txt" },
        { "flux-kustomize-controller/envs/env.env", "flux-age.txt" },
        { "flux-kustomize-controller/remote/env.env", "flux-age.txt" },
        { "flux-kustomize-controller/files/file.txt", "flux-age.txt" },
        { "flux-kustomize-controller/inside/secret.yaml.data-key.decoded.json", "flux-age.txt" },
        { "humphd-sops-age/secret.enc.yaml", "humphd-sops-age-key.txt" },
        { "humphd-sops-age/secret.enc.json", "humphd-sops-age-key.txt" },
        { "humphd-sops-age/secret.enc.env", "humphd-sops-age-key.txt" },
        { "humphd-sops-age/secret.enc.ini", "humphd-sops-age-key.txt" },
    };

    [Theory]
    [MemberData(nameof(AgeFixtures))]
    public void Decrypts_to_the_listed_values_with_the_MAC_verified(string fixture, string keyFile)
    {
        var path = FixtureSupport.Fixture(fixture.Split('/'));
        var report = FixtureSupport.Report(path);
        var file = FixtureSupport.Load(path, FixtureSupport.StoreOf(report));
        var key = SopsEngine.Decrypt(file, FixtureSupport.Identities(keyFile));
        CryptographicOperations.ZeroMemory(key);
        FixtureSupport.AssertLeavesMatch(report, file);
        Assert.True(report.GetProperty("mac_ok").GetBoolean());
        var expectedComments = report.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("plain").GetString() ?? "").Order(StringComparer.Ordinal).ToList();
        var comments = TreeLeaves.Comments(file.Documents).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedComments, comments);
    }

    [Fact]
    public void Binary_fixture_decrypts_to_the_exact_bytes()
    {
        var path = FixtureSupport.Fixture("sops-pr1031", "example.txt");
        var file = FixtureSupport.Load(path, StoreKind.Binary);
        CryptographicOperations.ZeroMemory(SopsEngine.Decrypt(file, FixtureSupport.Identities("sops-dev-age-key2.txt")));
        file.Metadata = null;
        Assert.Equal(File.ReadAllBytes(path + ".decrypted.bin"), new BinaryStore().Write(file));
    }

    [Fact]
    public void Post_quantum_fixture_decrypts_given_its_data_key_and_names_the_recipient_type_without_it()
    {
        var path = FixtureSupport.Fixture("flux-kustomize-controller", "algorithms", "age-pq.yaml");
        var report = FixtureSupport.Report(path);
        var file = FixtureSupport.Load(path, StoreKind.Yaml);
        SopsEngine.DecryptWithDataKey(file, Convert.FromHexString("bf6be4009ce5de949f482d70825a646bfddf6da4b8a79ec8c07099ac53f25eed"));
        FixtureSupport.AssertLeavesMatch(report, file);

        var again = FixtureSupport.Load(path, StoreKind.Yaml);
        var e = Assert.Throws<KeywardException>(() => SopsEngine.Decrypt(again, FixtureSupport.Identities("flux-age.txt")));
        Assert.Contains("no identity matched", e.Message, StringComparison.Ordinal);
        Assert.Contains("age1pq1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_key_is_no_identity_matched_naming_recipients_and_sources()
    {
        var file = FixtureSupport.Load(FixtureSupport.Fixture("sops-pr1031", "example.yaml"), StoreKind.Yaml);
        var e = Assert.Throws<KeywardException>(() => SopsEngine.Decrypt(file, FixtureSupport.Identities("flux-age.txt")));
        Assert.Contains("no identity matched", e.Message, StringComparison.Ordinal);
        Assert.Contains("age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw", e.Message, StringComparison.Ordinal);
        Assert.Contains("1 identity from flux-age.txt", e.Message, StringComparison.Ordinal);
    }
}
