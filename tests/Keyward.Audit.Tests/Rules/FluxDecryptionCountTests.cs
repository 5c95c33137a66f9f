using Keyward.Testing;

namespace Keyward.Audit.Tests.Rules;

/// <summary>
/// KW910 counts and names the SOPS files a Flux Kustomization applies the same whether its folder is read file by
/// file or rendered by kustomize: the rendered objects are traced back to their source files.
/// </summary>
public sealed class FluxDecryptionCountTests : IDisposable
{
    private const string Flux = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: cluster09\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./clusters/cluster09\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n";

    private static string Encrypted(string name) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: cluster09\nstringData:\n  token: ENC[AES256_GCM,data:q0Xk2w==,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.9.0\n";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("keyward-kw910-");

    public FluxDecryptionCountTests()
    {
        Write("infra/flux-ks.yaml", Flux);
        Write("clusters/cluster09/a-secret.yaml", Encrypted("a"));
        Write("clusters/cluster09/b-secret.yaml", Encrypted("b"));
    }

    public void Dispose() => _root.Delete(recursive: true);

    private string Scratch => Directory.CreateDirectory(Path.Combine(_root.FullName, ".scratch")).FullName;

    private Finding Audit(string kubectl = "kubectl")
    {
        var inputs = new AuditInputs { BaseDirectory = _root.FullName, TempDirectory = Scratch, Kubectl = kubectl };
        inputs.AddPath(Path.Combine(_root.FullName, "infra"));
        inputs.AddPath(Path.Combine(_root.FullName, "clusters"));
        return Assert.Single(new Auditor(RuleRegistry.BuiltIn, new AuditOptions { OnlyRules = ["KW910"] }).Run(inputs).Findings);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private const string Expected = "Kustomization cluster09 applies 2 SOPS-encrypted files (clusters/cluster09/a-secret.yaml, ...) without spec.decryption";

    [Fact]
    public void A_folder_read_file_by_file_counts_its_files() => Assert.Equal(Expected, Audit().Message);

    [RequiresToolFact("kubectl")]
    public void A_rendered_folder_counts_the_files_its_objects_came_from()
    {
        Write("clusters/cluster09/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a-secret.yaml\n  - b-secret.yaml\n");
        Assert.Equal(Expected, Audit().Message);
    }

    [RequiresToolFact("kubectl")]
    public void A_file_from_a_base_outside_the_path_is_named_and_counted_once()
    {
        File.Delete(Path.Combine(_root.FullName, "clusters/cluster09/b-secret.yaml"));
        Write("clusters/base/b-secret.yaml", Encrypted("b"));
        Write("clusters/base/kustomization.yaml", "resources:\n  - b-secret.yaml\n");
        Write("clusters/cluster09/kustomization.yaml", "resources:\n  - a-secret.yaml\n  - ../base\n");
        Assert.Equal("Kustomization cluster09 applies 2 SOPS-encrypted files (clusters/base/b-secret.yaml, ...) without spec.decryption", Audit().Message);

        // A Kustomization over both folders applies the base's file through both builds: still one file.
        Write("infra/flux-ks.yaml", Flux.Replace("./clusters/cluster09", "./clusters", StringComparison.Ordinal));
        Assert.Equal("Kustomization cluster09 applies 2 SOPS-encrypted files (clusters/base/b-secret.yaml, ...) without spec.decryption", Audit().Message);
    }

    [RequiresToolFact("kubectl", "sh")]
    public void Rendered_objects_whose_source_is_not_known_are_counted_as_objects()
    {
        // A kubectl too old for origin annotations: the plain render does not say which file an object came from.
        var old = Path.Combine(_root.FullName, "old-kubectl");
        File.WriteAllText(old, "#!/bin/sh\nif grep -q buildMetadata \"$2/kustomization.yaml\" 2>/dev/null; then echo 'error: invalid Kustomization: json: unknown field \"buildMetadata\"' >&2; exit 1; fi\nexec kubectl \"$@\"\n");
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write("clusters/cluster09/kustomization.yaml", "resources:\n  - a-secret.yaml\n  - b-secret.yaml\n");
        Assert.Equal("Kustomization cluster09 applies 2 SOPS-encrypted objects of unknown source (clusters/cluster09/(kustomize build)) without spec.decryption", Audit(old).Message);
    }
}
