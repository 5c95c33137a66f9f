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

    [RequiresToolFact("python3", "age")]
    public void Example_SOPS_files_decrypt_with_the_reference_decryptor()
    {
        var keyFile = Path.Combine(Path.GetTempPath(), $"keyward-example-{Guid.NewGuid():N}.agekey");
        AtomicFile.WriteAllBytes(keyFile, Encoding.ASCII.GetBytes(LeakedKey() + "\n"), AtomicWriteOptions.Private);
        try
        {
            foreach (var (path, plaintext) in Files().Select(row => ((string)row[0], (string)row[1])))
            {
                var run = ExternalTool.Run("python3", [SharedMaterial.Path("conformance", "sops", "tools", "sops_ref.py"), "--store", "yaml", "--age-keys", keyFile, Example(path)]);
                Assert.True(run.ExitCode == 0, $"{path}: {run.Stderr}");
                using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
                Assert.True(json.RootElement.GetProperty("mac_ok").GetBoolean(), $"{path}: the reference decryptor rejects the MAC");
                var leaves = json.RootElement.GetProperty("leaves").EnumerateArray()
                    .ToDictionary(l => l.GetProperty("aad").GetString()!, l => (Encrypted: l.GetProperty("encrypted").GetBoolean(), Value: l.GetProperty("value").GetString()));
                foreach (var line in plaintext[(plaintext.IndexOf("stringData:\n", StringComparison.Ordinal) + 12)..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Trim().Split(':', 2);
                    var leaf = leaves[$"stringData:{parts[0]}:"];
                    Assert.True(leaf.Encrypted, $"{path}: stringData.{parts[0]} is not encrypted");
                    Assert.Equal(parts[1].Trim().Trim('\''), leaf.Value);
                }
                Assert.All(leaves.Where(l => !l.Key.StartsWith("stringData:", StringComparison.Ordinal)), l => Assert.False(l.Value.Encrypted));
            }
        }
        finally
        {
            File.Delete(keyFile);
        }
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
