using System.Text;
using System.Text.Json.Nodes;
using Keyward.Core;
using Keyward.Manifests;

namespace Keyward.Sealing.Tests;

public sealed class SealerTests
{
    private const string Secret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: prod
          labels:
            app: db
          annotations:
            team: storage
            kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"aHVudGVyMg=="}}'
          uid: 1234
          resourceVersion: "99"
        type: kubernetes.io/basic-auth
        immutable: true
        data:
          password: aHVudGVyMg==
          username: YWRtaW4=
        stringData:
          username: root
        """;

    private static SecretManifest Read(string yaml, string file = "s.yaml") =>
        SecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(yaml, file).Documents));

    private static JsonObject Seal(string yaml, SealOptions? options = null)
    {
        using var secret = Read(yaml);
        return new Sealer(TestKeys.Certificate(), options).Seal(secret);
    }

    [Fact]
    public void Secret_values_come_from_data_and_stringData_which_wins_on_the_same_key()
    {
        using var secret = Read(Secret);
        Assert.Equal(["password", "username"], secret.Entries.Select(e => e.Key).Order());
        Assert.Equal("hunter2", Encoding.UTF8.GetString(secret.Entries.Single(e => e.Key == "password").Value));
        Assert.Equal("root", Encoding.UTF8.GetString(secret.Entries.Single(e => e.Key == "username").Value));
    }

    [Fact]
    public void SealedSecret_has_the_CRD_shape_and_a_template_with_type_labels_annotations()
    {
        var sealedSecret = Seal(Secret);
        Assert.Equal("bitnami.com/v1alpha1", (string?)sealedSecret["apiVersion"]);
        Assert.Equal("SealedSecret", (string?)sealedSecret["kind"]);
        Assert.Equal("db", (string?)sealedSecret["metadata"]!["name"]);
        Assert.Equal("prod", (string?)sealedSecret["metadata"]!["namespace"]);
        Assert.Null(sealedSecret["metadata"]!["annotations"]);
        var spec = sealedSecret["spec"]!.AsObject();
        Assert.Equal(["password", "username"], spec["encryptedData"]!.AsObject().Select(kv => kv.Key));
        var template = spec["template"]!.AsObject();
        Assert.Equal("kubernetes.io/basic-auth", (string?)template["type"]);
        Assert.True((bool)template["immutable"]!);
        Assert.Equal("db", (string?)template["metadata"]!["labels"]!["app"]);
        Assert.Equal("storage", (string?)template["metadata"]!["annotations"]!["team"]);
    }

    [Fact]
    public void Last_applied_configuration_and_server_fields_are_not_copied_into_the_template()
    {
        var text = ManifestWriter.ToYaml([Seal(Secret)]);
        Assert.DoesNotContain("last-applied", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aHVudGVyMg", text, StringComparison.Ordinal);
        Assert.DoesNotContain("uid", text, StringComparison.Ordinal);
        Assert.DoesNotContain("resourceVersion", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubecfg_last_applied_configuration_is_not_copied_into_the_template()
    {
        // kubecfg and ksonnet keep their own plaintext copy of the applied Secret; kubeseal strips it with kubectl's
        // (StripLastAppliedAnnotations, bitnami-labs/sealed-secrets#227).
        var yaml = Secret.Replace("kubectl.kubernetes.io/last-applied-configuration", "kubecfg.ksonnet.io/last-applied-configuration", StringComparison.Ordinal);
        var sealedSecret = Seal(yaml);
        Assert.Equal(["team"], sealedSecret["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject().Select(kv => kv.Key));
        Assert.DoesNotContain("aHVudGVyMg", ManifestWriter.ToYaml([sealedSecret]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SealingScope.NamespaceWide, "sealedsecrets.bitnami.com/namespace-wide")]
    [InlineData(SealingScope.ClusterWide, "sealedsecrets.bitnami.com/cluster-wide")]
    public void Non_strict_scope_is_annotated_on_the_SealedSecret_and_its_template(SealingScope scope, string annotation)
    {
        var sealedSecret = Seal(Secret, new SealOptions { Scope = scope });
        Assert.Equal("true", (string?)sealedSecret["metadata"]!["annotations"]![annotation]);
        Assert.Equal("true", (string?)sealedSecret["spec"]!["template"]!["metadata"]!["annotations"]![annotation]);
    }

    [Fact]
    public void Scope_annotation_on_the_input_Secret_sets_the_scope_when_no_scope_is_given()
    {
        var yaml = Secret.Replace("    team: storage", "    team: storage\n    sealedsecrets.bitnami.com/namespace-wide: \"true\"", StringComparison.Ordinal);
        var text = ManifestWriter.ToYaml([Seal(yaml)]).Replace("name: db", "name: renamed", StringComparison.Ordinal);
        var sealedSecret = SealedSecretManifest.FromDocument(Assert.Single(ManifestLoader.Load(text, "x.yaml").Documents));
        Assert.Equal(SealingScope.NamespaceWide, sealedSecret.Scope);
        Assert.Empty(new Unsealer(TestKeys.Ring()).Verify(sealedSecret));
    }

    [Fact]
    public void Explicit_strict_scope_drops_a_scope_annotation_of_the_input()
    {
        var yaml = Secret.Replace("    team: storage", "    team: storage\n    sealedsecrets.bitnami.com/cluster-wide: \"true\"", StringComparison.Ordinal);
        var text = ManifestWriter.ToYaml([Seal(yaml, new SealOptions { Scope = SealingScope.Strict })]);
        Assert.DoesNotContain("cluster-wide", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_scope_without_a_namespace_is_a_clear_error_naming_the_file()
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  a: b\n";
        var error = Assert.Throws<KeywardException>(() => Seal(yaml));
        Assert.Equal("\"s.yaml\" line 1 column 1: Secret db: strict scope needs a namespace, and there is none", error.Message);
        Assert.Contains("--namespace", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_scope_without_a_name_is_a_clear_error()
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: prod\nstringData:\n  a: b\n";
        var error = Assert.Throws<KeywardException>(() => Seal(yaml));
        Assert.Equal("\"s.yaml\" line 1 column 1: Secret prod/(no name): the Secret has no name", error.Message);
    }

    [Fact]
    public void Cluster_wide_scope_needs_neither_namespace_nor_name_in_the_label()
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  a: b\n";
        var sealedSecret = Seal(yaml, new SealOptions { Scope = SealingScope.ClusterWide });
        Assert.Null(sealedSecret["metadata"]!["namespace"]);
    }

    [Fact]
    public void Namespace_option_fills_a_missing_namespace_and_conflicts_are_errors()
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  a: b\n";
        Assert.Equal("prod", (string?)Seal(yaml, new SealOptions { Namespace = "prod" })["metadata"]!["namespace"]);
        var error = Assert.Throws<KeywardException>(() => Seal(Secret, new SealOptions { Namespace = "staging" }));
        Assert.Contains("namespace is \"prod\", but the command line says \"staging\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_without_data_is_refused_unless_allowed()
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\n";
        Assert.Contains("no data to seal", Assert.Throws<KeywardException>(() => Seal(yaml)).Message, StringComparison.Ordinal);
        Assert.Empty(Seal(yaml, new SealOptions { AllowEmptyData = true })["spec"]!["encryptedData"]!.AsObject());
    }

    [Fact]
    public void Invalid_base64_names_file_line_and_key_but_not_the_value()
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\ndata:\n  token: not*base64!\n";
        var error = Assert.Throws<KeywardException>(() => Read(yaml));
        Assert.Equal("\"s.yaml\" line 7 column 10: Secret db: data key \"token\" is not valid base64", error.Message);
    }

    [Fact]
    public void Invalid_key_name_is_refused()
    {
        var yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  bad key: x\n";
        var error = Assert.Throws<KeywardException>(() => Read(yaml));
        Assert.Contains("\"bad key\" is not a valid Secret key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_Secret_document_is_refused_with_its_kind()
    {
        var error = Assert.Throws<KeywardException>(() => Read("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"));
        Assert.Equal("\"s.yaml\" line 1 column 1: expected a v1 Secret, found v1 ConfigMap", error.Message);
    }

    [Fact]
    public void Raw_sealing_needs_what_the_scope_needs_and_opens_under_its_label()
    {
        var sealer = new Sealer(TestKeys.Certificate());
        Assert.Throws<KeywardException>(() => sealer.SealRaw("v"u8, SealingScope.Strict, "prod", null));
        Assert.Throws<KeywardException>(() => sealer.SealRaw("v"u8, SealingScope.NamespaceWide, null, null));
        var blob = Convert.FromBase64String(sealer.SealRaw("v"u8, SealingScope.Strict, "prod", "db"));
        Assert.Equal("v"u8.ToArray(), HybridCipher.TryDecrypt(TestKeys.Ring().Keys[0], blob, "prod/db"u8));
    }

    [Fact]
    public void Disposing_the_Secret_wipes_the_decoded_values()
    {
        var secret = Read(Secret);
        var value = secret.Entries[0].Value;
        secret.Dispose();
        Assert.All(value, b => Assert.Equal(0, b));
    }
}
