using System.Text.Json.Nodes;
using Keyward.Core;
using Keyward.Manifests;

namespace Keyward.Sealing.Tests;

/// <summary>--merge-into refuses a Secret whose type or scope annotations disagree with the target, and adds keys in order.</summary>
public sealed class MergeAgreementTests
{
    private static string Existing(string type = "Opaque", SealingScope scope = SealingScope.NamespaceWide, string keys = "both: x\n  empty: x\n  multi: x\n  user: x\n")
    {
        var yaml = $"apiVersion: v1\nkind: Secret\nmetadata: {{name: db, namespace: prod}}\ntype: {type}\nstringData:\n  {keys}";
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(yaml, "s.yaml").Documents));
        return ManifestWriter.ToYaml([new Sealer(TestKeys.Certificate(), new SealOptions { Scope = scope }).Seal(secret)]);
    }

    private static MergeResult Merge(string existingYaml, string secretYaml, SealOptions? options = null)
    {
        var existing = Assert.Single(ManifestLoader.Load(existingYaml, "sealed.yaml").Documents);
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(secretYaml, "new.yaml").Documents));
        return SealedSecretMerger.Merge(existing, secret, TestKeys.Certificate(), options ?? new SealOptions());
    }

    private static List<string> Keys(MergeResult result) => result.SealedSecret["spec"]!["encryptedData"]!.AsObject().Select(kv => kv.Key).ToList();

    [Fact]
    public void A_secret_of_another_type_is_refused()
    {
        var error = Assert.Throws<KeywardException>(() => Merge(Existing(), "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/basic-auth\nstringData: {k3: v}\n"));
        Assert.Contains("type kubernetes.io/basic-auth", error.Message, StringComparison.Ordinal);
        Assert.Contains("Opaque", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }

    [Fact]
    public void A_secret_without_a_type_or_of_the_same_type_is_merged()
    {
        Assert.Equal(["k3"], Merge(Existing(), "apiVersion: v1\nkind: Secret\nstringData: {k3: v}\n").Added);
        Assert.Equal(["k3"], Merge(Existing(), "apiVersion: v1\nkind: Secret\ntype: Opaque\nstringData: {k3: v}\n").Added);
    }

    [Theory]
    [InlineData("sealedsecrets.bitnami.com/cluster-wide")]
    [InlineData("sealedsecrets.bitnami.com/namespace-wide")]
    public void A_secret_whose_scope_annotations_disagree_is_refused(string annotation)
    {
        var target = Existing(scope: annotation.EndsWith("cluster-wide", StringComparison.Ordinal) ? SealingScope.NamespaceWide : SealingScope.Strict);
        var error = Assert.Throws<KeywardException>(() => Merge(target, $"apiVersion: v1\nkind: Secret\nmetadata:\n  annotations: {{{annotation}: \"true\"}}\nstringData: {{k3: v}}\n"));
        Assert.Contains("scope", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }

    [Fact]
    public void A_secret_whose_scope_annotation_agrees_is_merged()
    {
        var result = Merge(Existing(), "apiVersion: v1\nkind: Secret\nmetadata:\n  annotations: {sealedsecrets.bitnami.com/namespace-wide: \"true\"}\nstringData: {k3: v}\n");
        Assert.Equal(["k3"], result.Added);
    }

    [Fact]
    public void New_keys_go_in_sorted_order()
    {
        var result = Merge(Existing(), "apiVersion: v1\nkind: Secret\nstringData: {k3: v, zz: v, a0: v}\n");
        Assert.Equal(["a0", "both", "empty", "k3", "multi", "user", "zz"], Keys(result));
    }

    [Fact]
    public void Existing_keys_out_of_order_are_not_reordered()
    {
        // Hand-edited: "user" before "both". The existing keys stay where they are; a new key goes before the first greater one.
        var yaml = Existing().Replace("    both:", "    zzz:", StringComparison.Ordinal);
        var original = Assert.Single(ManifestLoader.Load(yaml, "x").Documents).Root.Child("spec")!.Child("encryptedData") as Keyward.Manifests.Yaml.YamlMap;
        var before = original!.Entries().Select(e => ((Keyward.Manifests.Yaml.YamlScalar)e.Key).Value).ToList();
        Assert.Equal(["zzz", "empty", "multi", "user"], before);
        var result = Merge(yaml, "apiVersion: v1\nkind: Secret\nstringData: {k3: v}\n");
        Assert.Equal(["k3", "zzz", "empty", "multi", "user"], Keys(result));
    }
}
