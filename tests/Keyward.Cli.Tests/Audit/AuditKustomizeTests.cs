using System.Text.Json;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Audit;

/// <summary>Folders with a kustomization.yaml are rendered with kubectl kustomize (kube-linter's mykustomize case).</summary>
public class AuditKustomizeTests
{
    private static readonly string Folder = SharedMaterial.Path("conformance", "kube-linter", "rendering", "mykustomize");

    [RequiresToolFact("kubectl")]
    public void A_kustomize_folder_is_rendered_before_the_rules_run()
    {
        var result = CliRunner.Run(["audit", Folder, "--rule", "KW401", "--fail-on", "none"]);
        Assert.Equal(0, result.ExitCode);
        // namePrefix from the kustomization is applied: the object is the rendered one.
        Assert.Contains("kustomize-test-deployment", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("rendered with kubectl kustomize; positions refer to the source files", result.StdoutText, StringComparison.Ordinal);
    }

    [RequiresToolFact("kubectl")]
    public void Folders_rendered_without_surprise_share_one_note()
    {
        using var dir = new TempDir();
        foreach (var app in new[] { "a", "b", "c", "d" })
        {
            Directory.CreateDirectory(dir.File(app));
            File.WriteAllText(dir.File($"{app}/kustomization.yaml"), "resources:\n- cm.yaml\n");
            File.WriteAllText(dir.File($"{app}/cm.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}\n  namespace: shop\ndata:\n  x: \"1\"\n");
        }
        var result = CliRunner.Run(["audit", dir.Path, "--rule", "KW401", "--fail-on", "none", "--format", "json"]);
        var notes = result.Stderr.Split('\n').Where(l => l.Contains("kubectl kustomize", StringComparison.Ordinal)).ToList();
        var note = Assert.Single(notes);
        Assert.Matches(@"^keyward: note: 4 kustomize folders \(\S*/a, \S*/b, \S*/c and 1 more\) rendered with kubectl kustomize; positions refer to the source files$", note);
    }

    [RequiresToolFact("kubectl")]
    public void A_finding_on_a_rendered_object_points_into_the_file_it_came_from()
    {
        var result = CliRunner.Run(["audit", Folder, "--rule", "KW401", "--fail-on", "none", "--format", "json"]);
        using var json = JsonDocument.Parse(result.Stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.EndsWith("mykustomize/base/deployment.yaml", finding.GetProperty("file").GetString(), StringComparison.Ordinal);
        // runAsNonRoot is missing: the nearest node in the source is the container, at its first key.
        var lines = File.ReadAllLines(Path.Combine(Folder, "base", "deployment.yaml"));
        int line = Array.FindIndex(lines, l => l.Contains("- name: test-container", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, finding.GetProperty("line").GetInt32());
        Assert.Equal(lines[line - 1].IndexOf("name:", StringComparison.Ordinal) + 1, finding.GetProperty("column").GetInt32());
        Assert.Equal(lines[line - 1], finding.GetProperty("excerpt").GetString());
        Assert.DoesNotContain("config.kubernetes.io/origin", result.StdoutText, StringComparison.Ordinal);
    }

    [RequiresToolFact("kubectl")]
    public void A_kustomization_kubectl_cannot_render_is_scanned_file_by_file_with_kubectls_reason_only()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        var result = CliRunner.Run(["audit", dir.Path, "--fail-on", "none"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("kubectl kustomize failed", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("missing.yaml", result.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain("kubectl is not available", result.StdoutText, StringComparison.Ordinal);
    }
}
