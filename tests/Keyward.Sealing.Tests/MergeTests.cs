using System.Text.Json.Nodes;
using Keyward.Core;
using Keyward.Manifests;

namespace Keyward.Sealing.Tests;

public sealed class MergeTests
{
    private static (string Yaml, JsonObject Sealed) Existing(SealingScope scope = SealingScope.Strict)
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\n  labels: {app: db}\nstringData:\n  keep: kept-value\n  change: old-value\n";
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(yaml, "s.yaml").Documents));
        var sealedSecret = new Sealer(TestKeys.Certificate(), new SealOptions { Scope = scope }).Seal(secret);
        return (ManifestWriter.ToYaml([sealedSecret]), sealedSecret);
    }

    private static MergeResult Merge(string existingYaml, string secretYaml, SealOptions? options = null)
    {
        var existing = Assert.Single(ManifestLoader.Load(existingYaml, "sealed.yaml").Documents);
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(secretYaml, "new.yaml").Documents));
        return SealedSecretMerger.Merge(existing, secret, TestKeys.Certificate(), options ?? new SealOptions());
    }

    private static JsonObject Unseal(JsonObject sealedSecret)
    {
        var document = Assert.Single(ManifestLoader.Load(ManifestWriter.ToYaml([sealedSecret]), "merged.yaml").Documents);
        return new Unsealer(TestKeys.Ring()).Unseal(SealedSecretManifest.FromDocument(document));
    }

    private static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Merge_adds_and_replaces_keys_and_leaves_the_others_untouched()
    {
        var (yaml, original) = Existing();
        var result = Merge(yaml, "apiVersion: v1\nkind: Secret\nmetadata:\n  labels: {tier: backend}\nstringData:\n  change: new-value\n  added: added-value\n");
        Assert.Equal(["added"], result.Added);
        Assert.Equal(["change"], result.Replaced);
        var encrypted = result.SealedSecret["spec"]!["encryptedData"]!;
        Assert.Equal((string?)original["spec"]!["encryptedData"]!["keep"], (string?)encrypted["keep"]);
        Assert.NotEqual((string?)original["spec"]!["encryptedData"]!["change"], (string?)encrypted["change"]);
        Assert.Equal("db", (string?)result.SealedSecret["spec"]!["template"]!["metadata"]!["labels"]!["app"]);
        Assert.Equal("backend", (string?)result.SealedSecret["spec"]!["template"]!["metadata"]!["labels"]!["tier"]);

        var data = Unseal(result.SealedSecret)["data"]!;
        Assert.Equal(B64("kept-value"), (string?)data["keep"]);
        Assert.Equal(B64("new-value"), (string?)data["change"]);
        Assert.Equal(B64("added-value"), (string?)data["added"]);
    }

    [Fact]
    public void Merged_keys_are_sealed_under_the_existing_scope()
    {
        var (yaml, _) = Existing(SealingScope.NamespaceWide);
        var result = Merge(yaml, "apiVersion: v1\nkind: Secret\nstringData:\n  added: v\n");
        var renamed = ManifestWriter.ToYaml([result.SealedSecret]).Replace("name: db", "name: other", StringComparison.Ordinal);
        var document = Assert.Single(ManifestLoader.Load(renamed, "x.yaml").Documents);
        Assert.Empty(new Unsealer(TestKeys.Ring()).Verify(SealedSecretManifest.FromDocument(document)));
    }

    [Theory]
    [InlineData("kubectl.kubernetes.io/last-applied-configuration")]
    [InlineData("kubecfg.ksonnet.io/last-applied-configuration")]
    public void Last_applied_copies_of_the_Secret_are_not_merged_into_the_template(string annotation)
    {
        var (yaml, _) = Existing();
        var result = Merge(yaml, $"apiVersion: v1\nkind: Secret\nmetadata:\n  annotations:\n    team: storage\n    {annotation}: '{{\"data\":{{\"added\":\"{B64("added-value")}\"}}}}'\nstringData:\n  added: added-value\n");
        Assert.Equal(["team"], result.SealedSecret["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject().Select(kv => kv.Key));
        Assert.DoesNotContain(B64("added-value"), ManifestWriter.ToYaml([result.SealedSecret]), StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_for_another_name_is_refused()
    {
        var (yaml, _) = Existing();
        var error = Assert.Throws<KeywardException>(() => Merge(yaml, "apiVersion: v1\nkind: Secret\nmetadata: {name: api}\nstringData: {a: b}\n"));
        Assert.Contains("name is \"api\", but \"sealed.yaml\" says \"db\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conflicting_scope_is_refused()
    {
        var (yaml, _) = Existing();
        var error = Assert.Throws<KeywardException>(() => Merge(yaml, "apiVersion: v1\nkind: Secret\nstringData: {a: b}\n", new SealOptions { Scope = SealingScope.ClusterWide }));
        Assert.Contains("sealed with strict scope, but --scope says cluster-wide", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merging_into_something_else_is_refused()
    {
        var error = Assert.Throws<KeywardException>(() => Merge("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "apiVersion: v1\nkind: Secret\nstringData: {a: b}\n"));
        Assert.Contains("expected a bitnami.com/v1alpha1 SealedSecret, found v1 ConfigMap", error.Message, StringComparison.Ordinal);
    }
}
