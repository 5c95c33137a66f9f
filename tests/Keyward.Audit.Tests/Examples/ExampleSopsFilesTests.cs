using System.Text;
using Keyward.Age.Keys;
using Keyward.Core;
using Keyward.Sops.Crypto;
using Keyward.Sops.Engine;
using Keyward.Sops.Metadata;
using Keyward.Sops.Stores;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Examples;

/// <summary>
/// The example repository's SOPS-encrypted Secrets are real SOPS files: they decrypt with the age key that the
/// example also (deliberately) leaks in clusters/cluster09/sops-age.yaml. With KEYWARD_REGENERATE_EXAMPLES=1 the
/// test writes them afresh from the plaintext below (encrypted by Keyward.Sops to the recipient in .sops.yaml).
/// </summary>
public class ExampleSopsFilesTests
{
    public static TheoryData<string, string> Files() => new()
    {
        { "apps/shop/db-credentials.sops.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: shop\ntype: Opaque\nstringData:\n  username: shop\n  password: q7Vx2mLp9Rt4Wn8Ks3Zb\n" },
        { "infrastructure/admin/registry-credentials.sops.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: registry-credentials\n  namespace: flux-system\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{\"auths\":{\"ghcr.io\":{\"auth\":\"Ym90OmdocF9leGFtcGxl\"}}}'\n" },
    };

    private static string Example(string path) => Path.Combine(SharedMaterial.RepositoryRoot, "examples", path);

    [Theory]
    [MemberData(nameof(Files))]
    public void Example_SOPS_file_decrypts_to_its_plaintext(string path, string plaintext)
    {
        if (Environment.GetEnvironmentVariable("KEYWARD_REGENERATE_EXAMPLES") == "1")
            Regenerate(path, plaintext);
        var file = new YamlStore().Read(File.ReadAllBytes(Example(path)), path, encrypted: true);
        Assert.NotNull(file.Metadata);
        Assert.Equal("encrypted_regex", file.Metadata.Rule!.Option);
        var identities = new IdentitySet();
        identities.Add(AgeKeyFile.ParseIdentities(LeakedKey(), "sops-age.yaml"), "sops-age.yaml");
        var key = SopsEngine.Decrypt(file, identities);
        Array.Clear(key);
        file.Metadata = null;
        Assert.Equal(plaintext, Encoding.UTF8.GetString(new YamlStore().Write(file)));
    }

    private static string LeakedKey() =>
        string.Join('\n', File.ReadAllLines(Example("clusters/cluster09/sops-age.yaml")).Select(l => l.Trim()).Where(l => l.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal)));

    private static void Regenerate(string path, string plaintext)
    {
        var recipient = File.ReadAllLines(Example(".sops.yaml")).Select(l => l.Trim()).First(l => l.StartsWith("age:", StringComparison.Ordinal))[4..].Trim();
        var file = new YamlStore().Read(Encoding.UTF8.GetBytes(plaintext), path, encrypted: false);
        SopsEngine.Encrypt(file, new EncryptionSettings { AgeKeyGroups = [[recipient]], Rule = CryptRule.KubernetesSecret });
        AtomicFile.WriteAllBytes(Example(path), new YamlStore().Write(file));
    }
}
