using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keyward.Age.Recipients;
using Keyward.Sops.Crypto;
using Keyward.Sops.Engine;
using Keyward.Sops.Metadata;
using Keyward.Sops.Stores;
using Keyward.Testing;

namespace Keyward.Sops.Tests;

/// <summary>
/// What Keyward encrypts, the independent reference decryptor opens with a valid MAC to the same leaves, and Keyward
/// decrypts back to the same tree (comments and key order included).
/// </summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keyward-sops-rt").FullName;
    private readonly X25519Identity _identity = X25519Identity.Generate();
    private readonly string _keyFile;
    private readonly string _recipient;

    public RoundTripTests()
    {
        _keyFile = Path.Combine(_dir, "keys.txt");
        File.WriteAllText(_keyFile, _identity.ExportSecretKey() + "\n");
        _recipient = _identity.Recipient.ToString();
    }

    public void Dispose()
    {
        _identity.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<string, string> Corpus => new()
    {
        { "nested.yaml", CorpusFiles.NestedYaml },
        { "lists.yaml", CorpusFiles.ListsYaml },
        { "scalars.yaml", CorpusFiles.ScalarsYaml },
        { "multi.yaml", CorpusFiles.MultiDocYaml },
        { "secret.yaml", CorpusFiles.KubernetesSecret },
        { "app.json", CorpusFiles.Json },
        { "app.env", CorpusFiles.Dotenv },
        { "app.ini", CorpusFiles.Ini },
        { "blob.bin", CorpusFiles.Binary },
    };

    [RequiresToolTheory("python3", "age")]
    [MemberData(nameof(Corpus))]
    public void Encrypted_files_open_in_the_reference_decryptor_and_in_keyward(string name, string content)
        => RoundTrip(name, Encoding.UTF8.GetBytes(content), null);

    [RequiresToolTheory("python3", "age")]
    [InlineData("encrypted_regex", "^(data|stringData)$")]
    [InlineData("unencrypted_regex", "^(name|kind)$")]
    [InlineData("encrypted_suffix", "_secret")]
    public void Every_crypt_rule_round_trips(string option, string value)
        => RoundTrip("rules.yaml", Encoding.UTF8.GetBytes(CorpusFiles.RulesYaml), new CryptRule(option, value));

    // The reference decryptor reads YAML with PyYAML, which cannot see comments, so comment rules are checked here
    // by what gets encrypted and by Keyward's own round trip.
    [Theory]
    [InlineData("encrypted_comment_regex", "sops:enc", true, false)]
    [InlineData("unencrypted_comment_regex", "sops:plain", true, false)]
    public void Comment_rules_select_the_values_under_the_marker(string option, string value, bool markedEncrypted, bool unmarkedEncrypted)
    {
        var store = new YamlStore();
        var original = store.Read(Encoding.UTF8.GetBytes(CorpusFiles.RulesYaml), "rules.yaml", encrypted: false);
        var file = store.Read(Encoding.UTF8.GetBytes(CorpusFiles.RulesYaml), "rules.yaml", encrypted: false);
        SopsEngine.Encrypt(file, new EncryptionSettings { AgeKeyGroups = [[_recipient]], Rule = new CryptRule(option, value) });
        bool IsEncrypted(string key) => ((Tree.SopsScalar)file.Documents[0].Root[key]!).Text.StartsWith("ENC[", StringComparison.Ordinal);
        Assert.Equal(markedEncrypted, IsEncrypted("marked"));
        Assert.Equal(unmarkedEncrypted, IsEncrypted("unmarked"));
        var back = store.Read(store.Write(file), "rules.yaml", encrypted: true);
        var ids = new IdentitySet();
        ids.Add([_identity], "test");
        CryptographicOperations.ZeroMemory(SopsEngine.Decrypt(back, ids));
        Assert.Equal(TreeLeaves.Dump(original.Documents), TreeLeaves.Dump(back.Documents));
    }

    [RequiresToolFact("python3", "age")]
    public void Fixture_plaintexts_round_trip()
    {
        RoundTrip("secret.json", File.ReadAllBytes(FixtureSupport.Fixture("humphd-sops-age", "secret.json")), null);
        RoundTrip("comments.yaml", File.ReadAllBytes(FixtureSupport.Fixture("sops-repo-pgp", "comments.yaml")), null);
        RoundTrip("comments_list.yaml", File.ReadAllBytes(FixtureSupport.Fixture("sops-repo-pgp", "comments_list.yaml")), null);
        RoundTrip("plainfile.yaml", File.ReadAllBytes(FixtureSupport.Fixture("sops-repo-pgp", "plainfile.yaml")), null);
    }

    private void RoundTrip(string name, byte[] plaintext, CryptRule? rule)
    {
        var kind = Stores.Stores.ForPath(name);
        var store = Stores.Stores.For(kind);
        var original = store.Read(plaintext, name, encrypted: false);
        var file = store.Read(plaintext, name, encrypted: false);
        SopsEngine.Encrypt(file, new EncryptionSettings { AgeKeyGroups = [[_recipient]], Rule = rule });
        var encrypted = store.Write(file);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, encrypted);

        var result = ExternalTool.Run("python3", [FixtureSupport.ReferenceTool, "--store", StoreName(kind), "--age-keys", _keyFile, path]);
        Assert.True(result.ExitCode == 0, $"reference decryptor failed on {name}: {result.Stderr}\n{Encoding.UTF8.GetString(encrypted)}");
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.True(report.GetProperty("mac_ok").GetBoolean(), "MAC not valid for the reference decryptor");
        FixtureSupport.AssertLeavesMatch(report, original);

        var back = store.Read(encrypted, name, encrypted: true);
        var ids = new IdentitySet();
        ids.Add([_identity], "test");
        CryptographicOperations.ZeroMemory(SopsEngine.Decrypt(back, ids));
        Assert.Equal(TreeLeaves.Dump(original.Documents), TreeLeaves.Dump(back.Documents));
        back.Metadata = null;
        if (kind == StoreKind.Binary)
            Assert.Equal(plaintext, store.Write(back));
    }

    private static string StoreName(StoreKind kind) => kind switch
    {
        StoreKind.Yaml => "yaml",
        StoreKind.Json => "json",
        StoreKind.Dotenv => "dotenv",
        StoreKind.Ini => "ini",
        _ => "binary",
    };
}
