using Keyward.Manifests;
using Keyward.Manifests.Yaml;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// Findings on kustomize-rendered objects point into the files the objects came from: a base + overlay with a
/// namePrefix, a patch and a ConfigMap generator, rendered with the real kubectl.
/// </summary>
public sealed class KustomizeSourceMapTests : IDisposable
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            keyward.io/ignore: "KW403: tested by annotation"
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: nginx:1.25
                  securityContext:
                    # keyward:ignore KW402
                    allowPrivilegeEscalation: true
                    runAsNonRoot: false

        """;

    private const string Overlay = """
        resources:
          - ../base
        namePrefix: dev-
        patches:
          - path: patch.yaml
        configMapGenerator:
          - name: settings
            literals:
              - DB_PASSWORD=Sup3r-s3cret-pw

        """;

    private const string Patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostNetwork: true\n";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "keyward-kz-test-" + Guid.NewGuid().ToString("N")[..12]);

    public KustomizeSourceMapTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "base"));
        Directory.CreateDirectory(Path.Combine(_root, "over"));
        Directory.CreateDirectory(Scratch);
        File.WriteAllText(Path.Combine(_root, "base", "deployment.yaml"), Deployment);
        File.WriteAllText(Path.Combine(_root, "base", "kustomization.yaml"), "resources:\n  - deployment.yaml\n");
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"), Overlay);
        File.WriteAllText(Path.Combine(_root, "over", "patch.yaml"), Patch);
    }

    /// <summary>Where the temporary overlay goes: the tests check it is gone afterwards.</summary>
    private string Scratch => Path.Combine(_root, "scratch");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (AuditResult Result, AuditInputs Inputs) Audit(string kubectl = "kubectl", params string[] rules)
    {
        var inputs = new AuditInputs { BaseDirectory = _root, TempDirectory = Scratch, Kubectl = kubectl };
        inputs.AddPath(Path.Combine(_root, "over"));
        var options = rules.Length == 0 ? new AuditOptions() : new AuditOptions { OnlyRules = rules };
        return (new Auditor(RuleRegistry.BuiltIn, options).Run(inputs), inputs);
    }

    /// <summary>1-based line and column of the first occurrence of <paramref name="text"/> in the base deployment.</summary>
    private static SourcePosition InDeployment(string text)
    {
        var lines = Deployment.Split('\n');
        int index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        return new SourcePosition(index + 1, lines[index].IndexOf(text, StringComparison.Ordinal) + 1);
    }

    [RequiresToolFact("kubectl")]
    public void A_finding_on_a_base_field_reports_the_base_file_line_column_and_excerpt()
    {
        var (result, _) = Audit(rules: "KW401");
        var finding = Assert.Single(result.Findings);
        Assert.Equal("base/deployment.yaml", finding.File);
        Assert.Equal(InDeployment("false"), finding.Position);
        Assert.Equal("            runAsNonRoot: false", finding.SourceLine);
        // The object is still the rendered one: the prefix is what runs in the cluster.
        Assert.Equal("dev-web", finding.Resource?.Name);
        Assert.Contains(result.Stats.Notices, n => n.EndsWith("rendered with kubectl kustomize; positions refer to the source files", StringComparison.Ordinal));
    }

    [RequiresToolFact("kubectl")]
    public void A_base_line_rendered_by_two_overlays_is_reported_for_each_object()
    {
        Directory.CreateDirectory(Path.Combine(_root, "prod"));
        File.WriteAllText(Path.Combine(_root, "prod", "kustomization.yaml"), "resources:\n  - ../base\nnamePrefix: prod-\n");
        var inputs = new AuditInputs { BaseDirectory = _root, TempDirectory = Scratch };
        inputs.AddPath(Path.Combine(_root, "over"));
        inputs.AddPath(Path.Combine(_root, "prod"));
        var findings = new Auditor(RuleRegistry.BuiltIn, new AuditOptions { OnlyRules = ["KW401"] }).Run(inputs).Findings;
        Assert.Equal(["dev-web", "prod-web"], findings.Select(f => f.Resource?.Name).Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Equal(("base/deployment.yaml", InDeployment("false")), (f.File, f.Position)));
    }

    /// <summary>1-based line and column of the first occurrence of <paramref name="text"/> in <paramref name="yaml"/>.</summary>
    private static SourcePosition In(string yaml, string text)
    {
        var lines = yaml.Split('\n');
        int index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        return new SourcePosition(index + 1, lines[index].IndexOf(text, StringComparison.Ordinal) + 1);
    }

    [RequiresToolFact("kubectl")]
    public void A_field_added_by_a_strategic_merge_patch_maps_to_its_line_in_the_patch_file()
    {
        var (result, _) = Audit(rules: "KW407");
        var finding = Assert.Single(result.Findings);
        Assert.Equal("spec.template.spec.hostNetwork", finding.FieldPath);
        Assert.Equal("over/patch.yaml", finding.File);
        Assert.Equal(In(Patch, "true"), finding.Position);
        Assert.Equal("      hostNetwork: true", finding.SourceLine);
        Assert.Equal("dev-web", finding.Resource?.Name);
    }

    [RequiresToolFact("kubectl")]
    public void A_field_set_in_the_base_and_changed_by_a_patch_maps_to_the_patch_and_the_last_patch_wins()
    {
        // The base says false; a patchesStrategicMerge file says false too, and the later `patches` entry says true.
        File.WriteAllText(Path.Combine(_root, "base", "deployment.yaml"), Deployment.Replace("    spec:\n      containers:", "    spec:\n      hostNetwork: false\n      containers:", StringComparison.Ordinal));
        const string early = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostNetwork: false\n      hostPID: true\n";
        File.WriteAllText(Path.Combine(_root, "over", "early.yaml"), early);
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"), Overlay + "patchesStrategicMerge:\n  - early.yaml\n");
        var (result, _) = Audit(rules: "KW407");
        var network = Assert.Single(result.Findings, f => f.FieldPath == "spec.template.spec.hostNetwork");
        Assert.Equal(("over/patch.yaml", In(Patch, "true")), (network.File, network.Position));
        var pid = Assert.Single(result.Findings, f => f.FieldPath == "spec.template.spec.hostPID");
        Assert.Equal(("over/early.yaml", In(early, "true"), "      hostPID: true"), (pid.File, pid.Position, pid.SourceLine));
    }

    [RequiresToolFact("kubectl")]
    public void A_patch_in_a_base_kustomization_and_a_patch_for_another_object_are_told_apart()
    {
        // The base patches its own Deployment; the overlay's patch names another Deployment and must not be taken.
        File.WriteAllText(Path.Combine(_root, "base", "kustomization.yaml"), "resources:\n  - deployment.yaml\npatches:\n  - path: pid.yaml\n");
        const string pid = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostPID: true\n";
        File.WriteAllText(Path.Combine(_root, "base", "pid.yaml"), pid);
        File.WriteAllText(Path.Combine(_root, "over", "patch.yaml"), Patch.Replace("name: web", "name: api", StringComparison.Ordinal) + "---\n" + Patch);
        File.WriteAllText(Path.Combine(_root, "over", "api.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1.0\n");
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"), Overlay.Replace("  - ../base\n", "  - ../base\n  - api.yaml\n", StringComparison.Ordinal));
        var (result, _) = Audit(rules: "KW407");
        var web = result.Findings.Where(f => f.Resource?.Name == "dev-web").ToList();
        var webPid = Assert.Single(web, f => f.FieldPath == "spec.template.spec.hostPID");
        Assert.Equal(("base/pid.yaml", In(pid, "true")), (webPid.File, webPid.Position));
        var lines = File.ReadAllText(Path.Combine(_root, "over", "patch.yaml")).Split('\n');
        int second = Array.FindLastIndex(lines, l => l.Contains("hostNetwork", StringComparison.Ordinal)) + 1;
        var webNetwork = Assert.Single(web, f => f.FieldPath == "spec.template.spec.hostNetwork");
        Assert.Equal(("over/patch.yaml", second), (webNetwork.File, webNetwork.Position.Line));
        var api = Assert.Single(result.Findings, f => f.Resource?.Name == "dev-api");
        int first = Array.FindIndex(lines, l => l.Contains("hostNetwork", StringComparison.Ordinal)) + 1;
        Assert.Equal(("over/patch.yaml", first), (api.File, api.Position.Line));
    }

    private const string WebTarget = "    target:\n      kind: Deployment\n      name: web\n";

    /// <summary>Audits with <paramref name="overlay"/> as the overlay's kustomization; the one finding of <paramref name="rule"/>.</summary>
    private Finding SingleWithOverlay(string overlay, string rule)
    {
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"), overlay);
        return Assert.Single(Audit(rules: rule).Result.Findings);
    }

    /// <summary>Audits with <paramref name="ops"/> as the overlay's patch file, a JSON6902 patch of the web Deployment.</summary>
    private Finding SingleWithOperations(string ops, string rule)
    {
        File.WriteAllText(Path.Combine(_root, "over", "patch.yaml"), ops);
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"), Overlay.Replace("  - path: patch.yaml\n", "  - path: patch.yaml\n" + WebTarget, StringComparison.Ordinal));
        return Assert.Single(Audit(rules: rule).Result.Findings);
    }

    [RequiresToolFact("kubectl")]
    public void A_field_added_by_a_json6902_patch_file_maps_to_the_operation_s_value()
    {
        const string ops = "- op: add\n  path: /spec/template/spec/hostNetwork\n  value: true\n";
        var finding = SingleWithOperations(ops, "KW407");
        Assert.Equal("spec.template.spec.hostNetwork", finding.FieldPath);
        Assert.Equal(("over/patch.yaml", In(ops, "true")), (finding.File, finding.Position));
        Assert.Equal("  value: true", finding.SourceLine);
    }

    [RequiresToolFact("kubectl")]
    public void A_field_inside_a_json6902_value_maps_to_its_node_within_the_value()
    {
        // The operation sets a whole securityContext; the finding is on one field of it.
        const string ops = "- op: replace\n  path: /spec/template/spec/containers/0/securityContext\n  value:\n    runAsNonRoot: true\n    privileged: true\n";
        var finding = SingleWithOperations(ops, "KW404");
        Assert.Equal("spec.template.spec.containers[0].securityContext.privileged", finding.FieldPath);
        var key = In(ops, "privileged: true");
        Assert.Equal(("over/patch.yaml", new SourcePosition(key.Line, key.Column + "privileged: ".Length)), (finding.File, finding.Position));
        Assert.Equal("    privileged: true", finding.SourceLine);
    }

    [RequiresToolFact("kubectl")]
    public void A_field_set_by_an_inline_patch_maps_to_its_line_in_the_kustomization()
    {
        var overlay = Overlay.Replace("  - path: patch.yaml\n",
            "  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: web\n      spec:\n        template:\n          spec:\n            hostPID: true\n", StringComparison.Ordinal);
        var finding = SingleWithOverlay(overlay, "KW407");
        Assert.Equal("spec.template.spec.hostPID", finding.FieldPath);
        Assert.Equal(("over/kustomization.yaml", In(overlay, "true")), (finding.File, finding.Position));
        Assert.Equal("            hostPID: true", finding.SourceLine);
    }

    [RequiresToolFact("kubectl")]
    public void A_field_set_by_an_inline_json6902_patch_maps_to_its_line_in_the_kustomization()
    {
        var overlay = Overlay.Replace("  - path: patch.yaml\n",
            "  - patch: |-\n      - op: add\n        path: /spec/template/spec/hostIPC\n        value: true\n" + WebTarget, StringComparison.Ordinal);
        var finding = SingleWithOverlay(overlay, "KW407");
        Assert.Equal("spec.template.spec.hostIPC", finding.FieldPath);
        Assert.Equal(("over/kustomization.yaml", In(overlay, "true")), (finding.File, finding.Position));
    }

    [RequiresToolFact("kubectl")]
    public void A_json6902_operation_on_another_field_is_not_taken()
    {
        // Applied after the strategic-merge patch, but on other fields: hostNetwork stays the patch file's.
        const string ops = "- op: add\n  path: /spec/replicas\n  value: 3\n- op: add\n  path: /spec/template/spec/hostNetworkMode\n  value: true\n";
        File.WriteAllText(Path.Combine(_root, "over", "ops.yaml"), ops);
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"),
            Overlay + "patchesJson6902:\n  - path: ops.yaml\n    target:\n      group: apps\n      version: v1\n      kind: Deployment\n      name: web\n");
        var (result, _) = Audit(rules: "KW407");
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("over/patch.yaml", In(Patch, "true")), (finding.File, finding.Position));
        Assert.Contains(result.Stats.Notices, n => n.EndsWith("rendered with kubectl kustomize; positions refer to the source files", StringComparison.Ordinal));
    }

    [RequiresToolFact("kubectl")]
    public void A_json6902_patch_whose_target_selects_by_label_or_name_pattern_is_followed()
    {
        File.WriteAllText(Path.Combine(_root, "base", "deployment.yaml"), Deployment.Replace("  name: web\n", "  name: web\n  labels:\n    app: web\n    tier: front\n", StringComparison.Ordinal));
        const string ops = "- op: add\n  path: /spec/template/spec/hostNetwork\n  value: true\n";
        const string pidOps = "- op: add\n  path: /spec/template/spec/hostPID\n  value: true\n";
        File.WriteAllText(Path.Combine(_root, "over", "net.yaml"), ops);
        File.WriteAllText(Path.Combine(_root, "over", "pid.yaml"), pidOps);
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"), "resources:\n  - ../base\nnamePrefix: dev-\npatches:\n"
            + "  - path: net.yaml\n    target:\n      kind: Deployment\n      labelSelector: \"app=web,tier in (front,back)\"\n"
            + "  - path: pid.yaml\n    target:\n      kind: Deploy.*\n      name: w.b\n");
        var (result, _) = Audit(rules: "KW407");
        Assert.Equal(2, result.Findings.Count);
        var network = Assert.Single(result.Findings, f => f.FieldPath == "spec.template.spec.hostNetwork");
        Assert.Equal(("over/net.yaml", In(ops, "true")), (network.File, network.Position));
        var pid = Assert.Single(result.Findings, f => f.FieldPath == "spec.template.spec.hostPID");
        Assert.Equal(("over/pid.yaml", In(pidOps, "true")), (pid.File, pid.Position));
    }

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier!=db", true)]
    [InlineData("app!=web", false)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!owner", true)]
    [InlineData("tier in (front, back)", true)]
    [InlineData("tier notin (front,back)", false)]
    [InlineData("owner notin (a)", true)]
    [InlineData("app=web,owner in (a,b)", false)]
    public void A_target_selector_is_read_as_kubernetes_reads_it(string selector, bool matches)
    {
        var labels = (YamlMap)YamlDocuments.Read("app: web\ntier: front\n").Documents[0];
        Assert.Equal(matches, KustomizeTarget.SelectorMatches(selector, labels));
    }

    [RequiresToolFact("kubectl")]
    public void An_image_tag_set_by_the_images_transformer_maps_to_the_entry_in_the_kustomization()
    {
        // The base pins nginx:1.25; the overlay's images entry makes it latest, which is what runs.
        var overlay = Overlay + "images:\n  - name: nginx\n    newTag: latest\n";
        var finding = SingleWithOverlay(overlay, "KW601");
        Assert.Equal("spec.template.spec.containers[0].image", finding.FieldPath);
        Assert.Equal(("over/kustomization.yaml", In(overlay, "latest")), (finding.File, finding.Position));
        Assert.Equal("    newTag: latest", finding.SourceLine);
    }

    [RequiresToolFact("kubectl")]
    public void A_namespace_set_by_the_kustomization_maps_to_its_namespace_field()
    {
        var overlay = "namespace: default\n" + Overlay;
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"), overlay);
        var (result, _) = Audit(rules: "KW805");
        var web = Assert.Single(result.Findings, f => f.Resource?.Kind == "Deployment");
        Assert.Equal("metadata.namespace", web.FieldPath);
        Assert.Equal(("over/kustomization.yaml", In(overlay, "default")), (web.File, web.Position));
    }

    [RequiresToolFact("kubectl")]
    public void A_credential_in_common_annotations_maps_to_its_entry_in_the_kustomization()
    {
        var overlay = Overlay + "commonAnnotations:\n  monitoring.example.com/token: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n";
        File.WriteAllText(Path.Combine(_root, "over", "kustomization.yaml"), overlay);
        var (result, _) = Audit(rules: "KW105");
        var web = Assert.Single(result.Findings, f => f.Resource?.Kind == "Deployment");
        Assert.Equal("metadata.annotations.monitoring.example.com/token", web.FieldPath);
        Assert.Equal(("over/kustomization.yaml", In(overlay, "ghp_")), (web.File, web.Position));
        Assert.Equal("  monitoring.example.com/token: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d", web.SourceLine);
    }

    [Fact]
    public void An_image_name_drops_its_tag_and_digest_but_not_a_registry_port()
    {
        Assert.Equal("nginx", KustomizeTransformers.ImageName("nginx:1.25"));
        Assert.Equal("registry:5000/team/app", KustomizeTransformers.ImageName("registry:5000/team/app:1.2@sha256:abc"));
        Assert.Equal("registry:5000/team/app", KustomizeTransformers.ImageName("registry:5000/team/app"));
        Assert.Null(KustomizeTransformers.ImageName(null));
    }

    [RequiresToolFact("kubectl")]
    public void A_generated_config_map_maps_to_its_generator_entry_in_the_kustomization()
    {
        var (result, _) = Audit(rules: "KW103");
        var finding = Assert.Single(result.Findings);
        Assert.Equal("over/kustomization.yaml", finding.File);
        var lines = Overlay.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains("- name: settings", StringComparison.Ordinal)) + 1;
        Assert.Equal(new SourcePosition(line, lines[line - 1].IndexOf("settings", StringComparison.Ordinal) + 1), finding.Position);
        Assert.Equal(lines[line - 1], finding.SourceLine);
    }

    [RequiresToolFact("kubectl")]
    public void Inline_comments_in_the_source_file_and_ignore_annotations_still_suppress()
    {
        var (result, _) = Audit(rules: ["KW402", "KW403"]);
        Assert.Empty(result.Findings);
        Assert.Equal(1, result.Stats.Suppressed[SuppressionKind.InlineComment]);
        Assert.Equal(1, result.Stats.Suppressed[SuppressionKind.Annotation]);
    }

    [RequiresToolFact("kubectl")]
    public void The_temporary_overlay_is_removed_and_the_users_files_are_unchanged()
    {
        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var before = files.Select(File.ReadAllBytes).ToList();
        var (result, _) = Audit();
        Assert.NotEmpty(result.Findings);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Scratch));
        Assert.Equal(files, Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.Equal(before, files.Select(File.ReadAllBytes));
    }

    [RequiresToolFact("kubectl")]
    public void The_origin_annotation_reaches_no_rule_finding_or_excerpt()
    {
        var (result, inputs) = Audit();
        const string origin = "config.kubernetes.io/origin";
        Assert.DoesNotContain(inputs.Texts, t => t.Text.Contains(origin, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Findings, f => (f.SourceLine ?? "").Contains(origin, StringComparison.Ordinal)
            || f.Message.Contains(origin, StringComparison.Ordinal) || (f.FieldPath ?? "").Contains(origin, StringComparison.Ordinal));
        // The rules saw exactly what a plain render gives.
        var plain = ExternalTool.Run("kubectl", ["kustomize", Path.Combine(_root, "over")]);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(plain.Stdout), Assert.Single(inputs.Texts, t => t.File == "over/(kustomize build)").Text);
    }

    [RequiresToolFact("kubectl", "sh")]
    public void A_kubectl_without_build_metadata_falls_back_to_positions_in_the_output_with_the_same_fingerprints()
    {
        // A kubectl that rejects buildMetadata as an old one does, and renders anything else.
        var old = Path.Combine(_root, "old-kubectl");
        File.WriteAllText(old, "#!/bin/sh\nif grep -q buildMetadata \"$2/kustomization.yaml\" 2>/dev/null; then echo 'error: invalid Kustomization: json: unknown field \"buildMetadata\"' >&2; exit 1; fi\nexec kubectl \"$@\"\n");
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string[] rules = ["KW401", "KW407", "KW103"]; // not KW402: its inline comment exists only in the source file
        var (fallback, _) = Audit(old, rules);
        Assert.Contains(fallback.Stats.Notices, n => n.EndsWith("rendered with kubectl kustomize; positions refer to its output", StringComparison.Ordinal));
        Assert.All(fallback.Findings.Where(f => f.Resource?.Name == "dev-web"), f => Assert.Equal("over/(kustomize build)", f.File));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Scratch));

        // Baselines written before source positions keep matching: fingerprints do not depend on where a finding points.
        var (mapped, _) = Audit(rules: rules);
        Assert.Equal(3, Fingerprints(mapped).Count);
        Assert.Equal(Fingerprints(fallback), Fingerprints(mapped));
    }

    private static List<string> Fingerprints(AuditResult result) =>
        [.. result.Findings.Where(f => f.Resource is not null).Select(f => f.Fingerprint).Order(StringComparer.Ordinal)];

    [RequiresToolFact("kubectl")]
    public void A_credential_on_a_later_line_of_a_value_maps_to_that_line_in_the_source()
    {
        // Found in the rendered env value and by the text scan of the source: one finding, where the key is written.
        const string Pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      env:\n        - name: CONFIG\n          value: |\n            region = eu-west-1\n            aws_key = AKIAZ3MSJV4WWNKWW5FG\n";
        var folder = Path.Combine(_root, "env");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pod.yaml"), Pod);
        File.WriteAllText(Path.Combine(folder, "kustomization.yaml"), "resources:\n  - pod.yaml\n");
        var inputs = new AuditInputs { BaseDirectory = _root, TempDirectory = Scratch };
        inputs.AddPath(folder);
        var findings = new Auditor(RuleRegistry.BuiltIn, new AuditOptions { OnlyRules = ["KW204"] }).Run(inputs).Findings;
        var finding = Assert.Single(findings);
        Assert.Equal(("env/pod.yaml", In(Pod, "AKIA")), (finding.File, finding.Position));
    }
}
