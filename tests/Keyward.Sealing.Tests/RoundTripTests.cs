using System.Text;
using Keyward.Manifests;

namespace Keyward.Sealing.Tests;

public sealed class RoundTripTests
{
    private static readonly SealingScope[] AllScopes = [SealingScope.Strict, SealingScope.NamespaceWide, SealingScope.ClusterWide];

    public static TheoryData<SealingScope> Scopes() => new(AllScopes);

    private static byte[] Label(SealingScope scope, string ns = "prod", string name = "db") => SealingScopes.Label(scope, ns, name);

    [Theory]
    [MemberData(nameof(Scopes))]
    public void Value_round_trips_in_every_scope(SealingScope scope)
    {
        var certificate = TestKeys.Certificate();
        var key = Assert.Single(TestKeys.Ring().Keys);
        var plaintext = Encoding.UTF8.GetBytes("s3cr3t-p@ssw0rd");
        var blob = HybridCipher.Encrypt(certificate.PublicKey, plaintext, Label(scope));
        Assert.Equal(plaintext, HybridCipher.TryDecrypt(key, blob, Label(scope)));
    }

    [Fact]
    public void Blob_has_the_controller_layout_length_prefix_rsa_part_then_gcm_ciphertext_and_tag()
    {
        var certificate = TestKeys.Certificate();
        var blob = HybridCipher.Encrypt(certificate.PublicKey, new byte[10], Label(SealingScope.Strict));
        Assert.Equal(256, blob[0] << 8 | blob[1]);
        Assert.Equal(2 + 256 + 10 + 16, blob.Length);
        Assert.StartsWith("AQ", Convert.ToBase64String(blob), StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_values_with_every_byte_round_trip()
    {
        var certificate = TestKeys.Certificate();
        var key = Assert.Single(TestKeys.Ring().Keys);
        var plaintext = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7 + 3)).ToArray();
        var blob = HybridCipher.Encrypt(certificate.PublicKey, plaintext, Label(SealingScope.Strict));
        Assert.Equal(plaintext, HybridCipher.TryDecrypt(key, blob, Label(SealingScope.Strict)));
    }

    [Fact]
    public void Empty_value_round_trips_as_an_empty_value()
    {
        var certificate = TestKeys.Certificate();
        var key = Assert.Single(TestKeys.Ring().Keys);
        var blob = HybridCipher.Encrypt(certificate.PublicKey, [], Label(SealingScope.Strict));
        Assert.Equal(2 + 256 + 16, blob.Length);
        var opened = HybridCipher.TryDecrypt(key, blob, Label(SealingScope.Strict));
        Assert.NotNull(opened);
        Assert.Empty(opened);
    }

    [Fact]
    public void Strict_value_does_not_open_under_another_namespace_or_name()
    {
        var certificate = TestKeys.Certificate();
        var key = Assert.Single(TestKeys.Ring().Keys);
        var blob = HybridCipher.Encrypt(certificate.PublicKey, "x"u8, Label(SealingScope.Strict, "prod", "db"));
        Assert.NotNull(HybridCipher.TryDecrypt(key, blob, Label(SealingScope.Strict, "prod", "db")));
        Assert.Null(HybridCipher.TryDecrypt(key, blob, Label(SealingScope.Strict, "staging", "db")));
        Assert.Null(HybridCipher.TryDecrypt(key, blob, Label(SealingScope.Strict, "prod", "db2")));
        Assert.Null(HybridCipher.TryDecrypt(key, blob, Label(SealingScope.NamespaceWide, "prod", "db")));
        Assert.Null(HybridCipher.TryDecrypt(key, blob, Label(SealingScope.ClusterWide)));
    }

    [Fact]
    public void Namespace_wide_value_opens_under_any_name_in_its_namespace_only()
    {
        var certificate = TestKeys.Certificate();
        var key = Assert.Single(TestKeys.Ring().Keys);
        var blob = HybridCipher.Encrypt(certificate.PublicKey, "x"u8, Label(SealingScope.NamespaceWide, "prod", "db"));
        Assert.NotNull(HybridCipher.TryDecrypt(key, blob, Label(SealingScope.NamespaceWide, "prod", "renamed")));
        Assert.Null(HybridCipher.TryDecrypt(key, blob, Label(SealingScope.NamespaceWide, "staging", "db")));
    }

    [Fact]
    public void Value_does_not_open_with_another_controller_key()
    {
        var blob = HybridCipher.Encrypt(TestKeys.Certificate().PublicKey, "x"u8, []);
        var ring = new SealingKeyRing();
        ring.Add(TestKeys.OtherKeyPem, "other");
        Assert.Null(HybridCipher.TryDecrypt(ring.Keys[0], blob, []));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(300)]
    public void Altered_blob_does_not_open(int position)
    {
        var key = Assert.Single(TestKeys.Ring().Keys);
        var blob = HybridCipher.Encrypt(TestKeys.Certificate().PublicKey, new byte[30], []);
        blob[Math.Min(position, blob.Length - 1)] ^= 0x40;
        Assert.Null(HybridCipher.TryDecrypt(key, blob, []));
    }

    [Fact]
    public void Truncated_blob_is_reported_as_such()
    {
        var blob = HybridCipher.Encrypt(TestKeys.Certificate().PublicKey, "x"u8, []);
        Assert.Contains("truncated", HybridCipher.ShapeProblem(blob.AsSpan(0, 100), 256), StringComparison.Ordinal);
        Assert.Contains("4096", HybridCipher.ShapeProblem(blob, 512) is { } p ? p.Replace("512", "4096", StringComparison.Ordinal) : "", StringComparison.Ordinal);
        Assert.Null(HybridCipher.ShapeProblem(blob, 256));
    }

    [Fact]
    public void Injected_randomness_makes_sealing_repeatable_and_a_fresh_seed_changes_everything()
    {
        var certificate = TestKeys.Certificate();
        var a = HybridCipher.Encrypt(certificate.PublicKey, "same"u8, [], TestKeys.Deterministic(1));
        var b = HybridCipher.Encrypt(certificate.PublicKey, "same"u8, [], TestKeys.Deterministic(1));
        var c = HybridCipher.Encrypt(certificate.PublicKey, "same"u8, [], TestKeys.Deterministic(2));
        Assert.Equal(a, b);
        Assert.NotEqual(a.AsSpan(2, 256).ToArray(), c.AsSpan(2, 256).ToArray());
        Assert.NotEqual(a.AsSpan(258).ToArray(), c.AsSpan(258).ToArray());
    }

    [Fact]
    public void Two_seals_of_the_same_value_with_the_system_random_differ()
    {
        var certificate = TestKeys.Certificate();
        Assert.NotEqual(HybridCipher.Encrypt(certificate.PublicKey, "same"u8, []), HybridCipher.Encrypt(certificate.PublicKey, "same"u8, []));
    }

    [Theory]
    [MemberData(nameof(Scopes))]
    public void Secret_with_many_binary_and_empty_keys_round_trips_through_manifests(SealingScope scope)
    {
        var values = Enumerable.Range(0, 150).ToDictionary(i => $"key-{i:D3}", i => Enumerable.Range(0, i % 40).Select(j => (byte)(i * 31 + j)).ToArray());
        values["empty"] = [];
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\ntype: Opaque\ndata:\n" +
            string.Concat(values.Select(kv => $"  {kv.Key}: \"{Convert.ToBase64String(kv.Value)}\"\n"));
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(yaml, "s.yaml").Documents));
        var sealedSecret = new Sealer(TestKeys.Certificate(), new SealOptions { Scope = scope }).Seal(secret);

        var text = ManifestWriter.ToYaml([sealedSecret]);
        var document = Assert.Single(ManifestLoader.Load(text, "sealed.yaml").Documents);
        var unsealed = new Unsealer(TestKeys.Ring()).Unseal(SealedSecretManifest.FromDocument(document));
        var data = unsealed["data"]!.AsObject();
        Assert.Equal(values.Count, data.Count);
        foreach (var (k, v) in values)
            Assert.Equal(Convert.ToBase64String(v), data[k]!.GetValue<string>());
    }

    [Fact]
    public void Renaming_a_strict_SealedSecret_breaks_unsealing_and_names_the_key()
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\nstringData: {password: hunter2}\n";
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(yaml, "s.yaml").Documents));
        var text = ManifestWriter.ToYaml([new Sealer(TestKeys.Certificate()).Seal(secret)]).Replace("name: db", "name: db-renamed", StringComparison.Ordinal);
        var document = Assert.Single(ManifestLoader.Load(text, "sealed.yaml").Documents);
        var error = Assert.Throws<Keyward.Core.KeywardException>(() => new Unsealer(TestKeys.Ring()).Unseal(SealedSecretManifest.FromDocument(document)));
        Assert.Contains("\"sealed.yaml\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("key \"password\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("prod/db-renamed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}

public sealed class NumericsRsaPublicEngineTests
{
    [Fact]
    public void Raw_public_operation_matches_BouncyCastle_RsaEngine_including_leading_zero_results()
    {
        var key = TestKeys.Certificate().PublicKey;
        var ours = new NumericsRsaPublicEngine();
        ours.Init(true, key);
        var reference = new Org.BouncyCastle.Crypto.Engines.RsaEngine();
        reference.Init(true, key);
        Assert.Equal(reference.GetInputBlockSize(), ours.GetInputBlockSize());
        Assert.Equal(reference.GetOutputBlockSize(), ours.GetOutputBlockSize());
        var random = TestKeys.Deterministic(7);
        bool sawLeadingZero = false;
        for (int i = 0; i < 600; i++)
        {
            var input = new byte[i % 3 == 0 ? 255 : 1 + i % 200];
            random(input);
            var expected = reference.ProcessBlock(input, 0, input.Length);
            var actual = ours.ProcessBlock(input, 0, input.Length);
            Assert.Equal(256, actual.Length);
            Assert.Equal(expected, actual);
            sawLeadingZero |= actual[0] == 0;
        }
        Assert.True(sawLeadingZero, "600 random results should include one below 2^2040");
    }
}
