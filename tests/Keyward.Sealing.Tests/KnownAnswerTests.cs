using System.Text;
using System.Text.Json;

namespace Keyward.Sealing.Tests;

/// <summary>The self-generated known-answer vectors of ../shared/conformance/sealed-secrets, one per scope.</summary>
public sealed class KnownAnswerTests
{
    public sealed record Vector(string Scope, string Namespace, string Name, string Key, string Label, string Plaintext, string EncryptedData, int RsaLength);

    public static IEnumerable<object[]> Vectors()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestKeys.Dir, "sealed-secrets-kat.json")));
        foreach (var v in json.RootElement.GetProperty("vectors").EnumerateArray())
        {
            yield return [new Vector(v.GetProperty("scope").GetString()!, v.GetProperty("namespace").GetString()!, v.GetProperty("name").GetString()!,
                v.GetProperty("key").GetString()!, v.GetProperty("label").GetString()!, v.GetProperty("plaintext").GetString()!,
                v.GetProperty("encryptedData_b64").GetString()!, v.GetProperty("rsa_len_prefix").GetInt32())];
        }
    }

    [Fact]
    public void The_vector_file_covers_all_three_scopes()
    {
        var scopes = Vectors().Select(v => ((Vector)v[0]).Scope).Order().ToList();
        Assert.Equal(["cluster-wide", "namespace-wide", "strict"], scopes);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Our_label_for_the_scope_is_the_vector_label(Vector vector)
    {
        var label = SealingScopes.Label(SealingScopes.Parse(vector.Scope), vector.Namespace, vector.Name);
        Assert.Equal(vector.Label, Encoding.UTF8.GetString(label));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Vector_decrypts_to_its_plaintext(Vector vector)
    {
        var key = Assert.Single(TestKeys.Ring().Keys);
        var blob = Convert.FromBase64String(vector.EncryptedData);
        Assert.Equal(vector.RsaLength, blob[0] << 8 | blob[1]);
        var plaintext = HybridCipher.TryDecrypt(key, blob, Encoding.UTF8.GetBytes(vector.Label));
        Assert.NotNull(plaintext);
        Assert.Equal(vector.Plaintext, Encoding.UTF8.GetString(plaintext));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Vector_does_not_decrypt_under_another_scope_label(Vector vector)
    {
        var key = Assert.Single(TestKeys.Ring().Keys);
        var blob = Convert.FromBase64String(vector.EncryptedData);
        foreach (var other in new[] { "myns/myname", "myns", "", "myns/other", "otherns/myname" }.Where(l => l != vector.Label))
            Assert.Null(HybridCipher.TryDecrypt(key, blob, Encoding.UTF8.GetBytes(other)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Vector_unseals_from_a_SealedSecret_manifest_with_the_vector_scope(Vector vector)
    {
        // On both, as kubeseal writes it; the controller reads the SealedSecret's own (ControllerScopeTests).
        var annotation = SealingScopes.Annotation(SealingScopes.Parse(vector.Scope));
        var annotations = annotation is null ? "" : $"\n      annotations:\n        {annotation}: \"true\"";
        var ownAnnotations = annotation is null ? "" : $"\n  annotations:\n    {annotation}: \"true\"";
        var yaml = $"""
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            metadata:{ownAnnotations}
              name: {vector.Name}
              namespace: {vector.Namespace}
            spec:
              encryptedData:
                {vector.Key}: {vector.EncryptedData}
              template:
                metadata:{annotations}
                  name: {vector.Name}
                type: Opaque
            """;
        var document = Assert.Single(Keyward.Manifests.ManifestLoader.Load(yaml, "kat.yaml").Documents);
        var secret = new Unsealer(TestKeys.Ring()).Unseal(SealedSecretManifest.FromDocument(document));
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(vector.Plaintext)), secret["data"]![vector.Key]!.GetValue<string>());
        Assert.Equal("Opaque", secret["type"]!.GetValue<string>());
    }
}
