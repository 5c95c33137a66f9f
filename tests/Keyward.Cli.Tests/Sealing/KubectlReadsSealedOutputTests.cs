using System.Text;
using Keyward.Cli.Tests.Support;
using Keyward.Manifests;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Sealing;

/// <summary>
/// The machine's kubectl reads keyward's SealedSecrets offline: <c>kubectl kustomize</c> over a kustomization that
/// lists them parses every document as a Kubernetes object (no cluster needed).
/// </summary>
public sealed class KubectlReadsSealedOutputTests
{
    private static string Kustomize(SealingFixture f, string sealedFile)
    {
        File.WriteAllText(f.File("kustomization.yaml"), $"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- {sealedFile}\n");
        var result = ExternalTool.Run("kubectl", ["kustomize", f.Dir.Path]);
        Assert.True(result.ExitCode == 0, "kubectl kustomize failed: " + result.Stderr);
        return Encoding.UTF8.GetString(result.Stdout);
    }

    [RequiresToolFact("kubectl")]
    public void Kubectl_kustomize_reads_sealed_yaml_with_the_CRD_field_names()
    {
        using var f = new SealingFixture();
        var input = SealingFixture.SecretYaml + "\n---\n" + SealingFixture.SecretYaml.Replace("name: db", "name: api", StringComparison.Ordinal);
        File.WriteAllText(f.SecretPath, input);
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "--scope", "namespace-wide", "-o", f.File("sealed.yaml"), f.SecretPath]).ExitCode);

        var output = Kustomize(f, "sealed.yaml");
        var documents = Keyward.Manifests.ManifestLoader.Load(output, "kustomize output").Documents;
        Assert.Equal(2, documents.Count);
        foreach (var document in documents)
        {
            Assert.Equal("bitnami.com/v1alpha1", document.Reference.ApiVersion);
            Assert.Equal("SealedSecret", document.Kind);
            Assert.Equal("prod", document.Reference.Namespace);
            var spec = document.Root.Child("spec")!;
            Assert.Equal(["blob", "empty", "password", "user"], ((Keyward.Manifests.Yaml.YamlMap)spec.Child("encryptedData")!).Entries().Select(e => e.Key.Value));
            Assert.Equal("Opaque", spec.Child("template")!.Scalar("type"));
            // kubectl keeps annotation values as strings: a YAML 1.1 boolean would have been rejected or altered.
            Assert.Equal("yes", spec.Child("template")!.Child("metadata")!.Child("annotations")!.Scalar("rotated"));
            Assert.Equal("true", document.Root.Child("metadata")!.Child("annotations")!.Scalar("sealedsecrets.bitnami.com/namespace-wide"));
        }
    }

    /// <summary>An annotation value as kubectl reads it from FILE (kubectl label --local: no cluster).</summary>
    private static string KubectlAnnotation(string file, string key)
    {
        var result = ExternalTool.Run("kubectl", ["label", "--local", "-f", file, "zz=1", "-o", "json"]);
        Assert.True(result.ExitCode == 0, "kubectl label --local failed: " + result.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("metadata").GetProperty("annotations").GetProperty(key).GetString()!;
    }

    [RequiresToolTheory("kubectl")]
    [InlineData("a\\r\\nb")]
    [InlineData("a\\rb")]
    [InlineData("a\\u0085b")]
    public void Kubectl_reads_annotation_line_breaks_after_seal_and_unseal_as_they_were(string escaped)
    {
        using var f = new SealingFixture();
        File.WriteAllText(f.SecretPath, $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\n  annotations: {{note: \"{escaped}\"}}\nstringData: {{k: v}}\n");
        var want = KubectlAnnotation(f.SecretPath, "note");
        Assert.Contains("a", want, StringComparison.Ordinal);
        Assert.NotEqual("a\nb", want);
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "-o", f.File("sealed.yaml"), f.SecretPath]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["unseal", "--key", f.KeyPath, "-o", f.File("unsealed.yaml"), f.File("sealed.yaml")]).ExitCode);
        Assert.Equal(want, KubectlAnnotation(f.File("unsealed.yaml"), "note"));
    }

    [RequiresToolFact("kubectl")]
    public void Kubectl_kustomize_reads_sealed_json_and_the_result_still_unseals()
    {
        using var f = new SealingFixture();
        Assert.Equal(0, CliRunner.Run(["seal", "--cert", f.CertPath, "--format", "json", "-o", f.File("sealed.json"), f.SecretPath]).ExitCode);
        var output = Kustomize(f, "sealed.json");
        File.WriteAllText(f.File("roundtrip.yaml"), output);
        var unsealed = CliRunner.Run(["unseal", "--key", f.KeyPath, f.File("roundtrip.yaml")]);
        Assert.Equal(0, unsealed.ExitCode);
        Assert.Contains("password: aHVudGVyMg==", unsealed.StdoutText, StringComparison.Ordinal);
    }
}
