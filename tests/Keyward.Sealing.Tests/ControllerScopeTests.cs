using System.Text.Json.Nodes;
using Keyward.Manifests;

namespace Keyward.Sealing.Tests;

/// <summary>
/// The controller takes a SealedSecret's scope from the object's own metadata.annotations (sealedsecret_expansion.go:
/// Unseal labels with labelFor(s.GetObjectMeta())), never from spec.template's, which only end up on the Secret.
/// Unseal, verify and merge must open and seal under that scope, and say so when the template says otherwise.
/// </summary>
public sealed class ControllerScopeTests
{
    private const string SecretYaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\nstringData:\n  password: s3cr3t\n";

    /// <summary>A cluster-wide SealedSecret with its scope annotation left only where <paramref name="keepOn"/> says.</summary>
    private static string ClusterWide(string keepOn)
    {
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(SecretYaml, "s.yaml").Documents));
        var sealedSecret = new Sealer(TestKeys.Certificate(), new SealOptions { Scope = SealingScope.ClusterWide }).Seal(secret);
        var templateMetadata = sealedSecret["spec"]!["template"]!["metadata"]!.AsObject();
        if (keepOn == "metadata")
            templateMetadata.Remove("annotations");
        else if (keepOn == "template")
            sealedSecret["metadata"]!.AsObject().Remove("annotations");
        return ManifestWriter.ToYaml([sealedSecret]);
    }

    private static SealedSecretManifest Read(string yaml) => SealedSecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(yaml, "sealed.yaml").Documents));

    private static MergeResult Merge(string existingYaml, string secretYaml)
    {
        var existing = Assert.Single(ManifestLoader.Load(existingYaml, "sealed.yaml").Documents);
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(secretYaml, "new.yaml").Documents));
        return SealedSecretMerger.Merge(existing, secret, TestKeys.Certificate(), new SealOptions());
    }

    private static byte[]? Open(JsonObject sealedSecret, string key, string label) =>
        HybridCipher.TryDecrypt(TestKeys.Ring().Keys[0], Convert.FromBase64String((string)sealedSecret["spec"]!["encryptedData"]![key]!), System.Text.Encoding.UTF8.GetBytes(label));

    [Fact]
    public void The_scope_annotation_on_metadata_alone_is_the_scope_the_value_opens_under()
    {
        var sealedSecret = Read(ClusterWide(keepOn: "metadata"));
        Assert.Equal(SealingScope.ClusterWide, sealedSecret.Scope);
        Assert.Empty(new Unsealer(TestKeys.Ring()).Verify(sealedSecret));
        Assert.Equal(Convert.ToBase64String("s3cr3t"u8), (string?)new Unsealer(TestKeys.Ring()).Unseal(sealedSecret)["data"]!["password"]);
        // The template says nothing about the scope: that is the upstream README's layout, not a disagreement.
        Assert.Null(sealedSecret.ScopeDisagreement);
    }

    [Fact]
    public void The_scope_annotation_on_the_template_alone_is_not_read_and_the_disagreement_is_named()
    {
        var sealedSecret = Read(ClusterWide(keepOn: "template"));
        Assert.Equal(SealingScope.Strict, sealedSecret.Scope);
        Assert.Equal(SealingScope.ClusterWide, sealedSecret.TemplateScope);
        var failure = Assert.Single(new Unsealer(TestKeys.Ring()).Verify(sealedSecret));
        Assert.Contains("strict scope (label \"prod/db\")", failure.Problem, StringComparison.Ordinal);
        Assert.NotNull(sealedSecret.ScopeDisagreement);
        Assert.Contains("strict", sealedSecret.ScopeDisagreement, StringComparison.Ordinal);
        Assert.Contains("cluster-wide", sealedSecret.ScopeDisagreement, StringComparison.Ordinal);
        Assert.Contains("metadata.annotations", sealedSecret.ScopeDisagreement, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_annotations_that_agree_raise_nothing()
    {
        var sealedSecret = Read(ClusterWide(keepOn: "both"));
        Assert.Equal(SealingScope.ClusterWide, sealedSecret.Scope);
        Assert.Equal(SealingScope.ClusterWide, sealedSecret.TemplateScope);
        Assert.Null(sealedSecret.ScopeDisagreement);
    }

    [Fact]
    public void Unseal_warns_when_the_template_names_another_scope()
    {
        // Template says cluster-wide, metadata says nothing: the value was sealed cluster-wide, so it does not open.
        // Re-sealed strict under the same template shows the warning without the failure.
        var yaml = ClusterWide(keepOn: "template");
        using var secret = SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(SecretYaml, "s.yaml").Documents));
        var strict = new Sealer(TestKeys.Certificate(), new SealOptions { Scope = SealingScope.Strict }).SealEntries(secret, SealingScope.Strict);
        var root = (JsonObject)ManifestWriter.ToJsonNode(Assert.Single(ManifestLoader.Load(yaml, "x").Documents).Root)!;
        root["spec"]!["encryptedData"] = strict;
        var warnings = new List<string>();
        var unsealed = new Unsealer(TestKeys.Ring()).Unseal(Read(ManifestWriter.ToYaml([root])), warnings);
        Assert.Equal(Convert.ToBase64String("s3cr3t"u8), (string?)unsealed["data"]!["password"]);
        var warning = Assert.Single(warnings);
        Assert.Contains("\"sealed.yaml\" line 1 column 1", warning, StringComparison.Ordinal);
        Assert.Contains("spec.template", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_seals_new_keys_under_the_metadata_scope_the_controller_uses()
    {
        var result = Merge(ClusterWide(keepOn: "metadata"), "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\nstringData: {extra: hello}\n");
        Assert.Equal(["extra"], result.Added);
        Assert.Equal("hello"u8.ToArray(), Open(result.SealedSecret, "extra", ""));
        Assert.Null(Open(result.SealedSecret, "extra", "prod/db"));
        var merged = Read(ManifestWriter.ToYaml([result.SealedSecret]));
        Assert.Empty(new Unsealer(TestKeys.Ring()).Verify(merged));
    }

    [Fact]
    public void Merge_into_a_template_only_scope_seals_strict_as_the_controller_opens_it_and_warns()
    {
        var result = Merge(ClusterWide(keepOn: "template"), "apiVersion: v1\nkind: Secret\nstringData: {extra: hello}\n");
        Assert.Equal("hello"u8.ToArray(), Open(result.SealedSecret, "extra", "prod/db"));
        Assert.NotNull(result.ScopeWarning);
        Assert.Contains("spec.template", result.ScopeWarning, StringComparison.Ordinal);
    }
}
