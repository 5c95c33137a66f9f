using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Audit;

/// <summary>Folders with a kustomization.yaml are rendered with kubectl kustomize (kube-linter's mykustomize case).</summary>
public class AuditKustomizeTests
{
    [RequiresToolFact("kubectl")]
    public void A_kustomize_folder_is_rendered_before_the_rules_run()
    {
        var folder = SharedMaterial.Path("conformance", "kube-linter", "rendering", "mykustomize");
        var result = CliRunner.Run(["audit", folder, "--rule", "KW401", "--fail-on", "none"]);
        Assert.Equal(0, result.ExitCode);
        // namePrefix from the kustomization is applied: the object is the rendered one.
        Assert.Contains("kustomize-test-deployment", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("(kustomize build)", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("rendered with kubectl kustomize", result.StdoutText, StringComparison.Ordinal);
    }
}
