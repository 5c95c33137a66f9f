using Keyward.Testing;

namespace Keyward.Audit.Tests.Rules;

/// <summary>
/// KW911 counts the SOPS objects of each file, not of a kustomize build that gathers many files; inside a build, the
/// objects are traced back to the files they came from.
/// </summary>
public sealed class FluxSeveralObjectsTests : IDisposable
{
    private const string Flux = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps/prod\n  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n";

    private static string Encrypted(string name) =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: k\nstringData:\n  x: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("keyward-kw911-");

    public void Dispose() => _root.Delete(recursive: true);

    private IReadOnlyList<Finding> Audit()
    {
        var inputs = new AuditInputs { BaseDirectory = _root.FullName };
        inputs.AddPath(_root.FullName);
        return new Auditor(RuleRegistry.BuiltIn, new AuditOptions { OnlyRules = ["KW911"] }).Run(inputs).Findings;
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [RequiresToolFact("kubectl")]
    public void Single_object_files_rendered_together_by_kustomize_are_not_reported()
    {
        Write("clusters/apps.yaml", Flux);
        Write("apps/prod/a.yaml", Encrypted("a"));
        Write("apps/prod/b.yaml", Encrypted("b"));
        Write("apps/prod/kustomization.yaml", "resources: [a.yaml, b.yaml]\n");
        Assert.Empty(Audit());
    }

    [Fact]
    public void A_file_of_two_objects_is_reported()
    {
        Write("clusters/apps.yaml", Flux);
        Write("apps/prod/two.yaml", Encrypted("a") + "---\n" + Encrypted("b"));
        var finding = Assert.Single(Audit());
        Assert.Equal("apps/prod/two.yaml", finding.File);
    }

    [RequiresToolFact("kubectl")]
    public void A_file_of_two_objects_inside_a_rendered_folder_is_reported_at_that_file()
    {
        Write("clusters/apps.yaml", Flux);
        Write("apps/prod/one.yaml", Encrypted("c"));
        Write("apps/prod/two.yaml", Encrypted("a") + "---\n" + Encrypted("b"));
        Write("apps/prod/kustomization.yaml", "resources: [one.yaml, two.yaml]\n");
        var finding = Assert.Single(Audit());
        Assert.Equal("apps/prod/two.yaml", finding.File);
        Assert.StartsWith("apps/prod/two.yaml holds several SOPS-encrypted objects", finding.Message, StringComparison.Ordinal);
        Assert.Equal(11, finding.Position.Line); // the second object's apiVersion, after the first's 9 lines and the ---
    }

    [RequiresToolFact("kubectl")]
    public void A_base_file_of_two_objects_rendered_by_two_overlays_is_one_finding()
    {
        Write("clusters/apps.yaml", Flux.Replace("./apps/prod", "./apps", StringComparison.Ordinal));
        Write("apps/base/two.yaml", Encrypted("a") + "---\n" + Encrypted("b"));
        Write("apps/base/kustomization.yaml", "resources: [two.yaml]\n");
        Write("apps/prod/kustomization.yaml", "resources: [../base]\nnamePrefix: prod-\n");
        Write("apps/staging/kustomization.yaml", "resources: [../base]\nnamePrefix: staging-\n");
        var finding = Assert.Single(Audit());
        Assert.Equal("apps/base/two.yaml", finding.File);
    }
}
