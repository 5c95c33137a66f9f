using System.Text.Json;
using Keyward.Audit;
using Keyward.Manifests;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Conformance;

/// <summary>
/// kubescape's regolibrary rule tests (shared/conformance/kubescape) for the rules a Keyward rule covers. The unit is a
/// test case: the set of objects kubescape alerts on (alertObject.k8sApiObjects; for RBAC rules aggregated per
/// subject, the Role/ClusterRole among the related objects) must equal the set Keyward flags with the mapped rule.
/// </summary>
public class KubescapeCorpusTests
{
    private sealed record Mapping(string RuleId, Func<Finding, bool>? Filter = null, string? AlsoRuleId = null);

    private static bool Path(Finding f, string suffix) => f.FieldPath?.EndsWith(suffix, StringComparison.Ordinal) == true;

    private static readonly Dictionary<string, Mapping> Covered = new(StringComparer.Ordinal)
    {
        ["rule-credentials-configmap"] = new("KW103"),
        ["rule-secrets-in-env-var"] = new("KW108"),
        ["resources-secret-in-default-namespace"] = new("KW805", f => f.Resource?.Kind == "Secret"),
        ["rule-can-list-get-secrets-v1"] = new("KW303"),
        // Wildcard grants are reported by KW302, not repeated by the specific RBAC rules.
        ["rule-can-bind-escalate"] = new("KW304", f => f.RuleId == "KW302" || f.Message.Contains("bind", StringComparison.Ordinal) || f.Message.Contains("escalate", StringComparison.Ordinal), "KW302"),
        ["rule-can-impersonate-users-groups-v1"] = new("KW304", f => f.RuleId == "KW302" || f.Message.Contains("impersonate", StringComparison.Ordinal), "KW302"),
        ["rule-can-create-pod"] = new("KW305", f => f.RuleId == "KW302" || f.Message.Contains("create pods", StringComparison.Ordinal), "KW302"),
        ["cluster-admin-role"] = new("KW301"),
        ["anonymous-access-enabled"] = new("KW308"),
        ["non-root-containers"] = new("KW401"),
        ["rule-allow-privilege-escalation"] = new("KW402"),
        ["immutable-container-filesystem"] = new("KW403"),
        ["rule-privileged-container"] = new("KW404"),
        ["insecure-capabilities"] = new("KW405", f => f.Message.Contains("adds capabilities", StringComparison.Ordinal)),
        ["drop-capability-netraw"] = new("KW405"),
        ["set-seccomp-profile"] = new("KW406"),
        ["host-pid-ipc-privileges"] = new("KW407", f => Path(f, "hostPID") || Path(f, "hostIPC")),
        ["host-network-access"] = new("KW407", f => Path(f, "hostNetwork")),
        ["image-not-pinned-to-digest"] = new("KW602"),
        ["automount-service-account"] = new("KW701"),
        ["resources-memory-limit-and-request"] = new("KW501", f => f.Message.Contains("memory", StringComparison.Ordinal)),
        ["ensure_network_policy_configured_in_labels"] = new("KW804"),
    };

    /// <summary>Cases of mapped rules that test something no Keyward rule does (listed in docs/conformance.md).</summary>
    internal static readonly Dictionary<string, string> NotCovered = new(StringComparer.Ordinal)
    {
        ["image-not-pinned-to-digest/pod-exempted-repo"] = "exempts a repository through data.json (imageDigestExemptRepositories); Keyward has no repository exemption list, a .keyward.yaml ignore entry does that",
        ["resources-memory-limit-and-request/workload-exceeded"] = "checks the value against a configured maximum; Keyward checks presence, not ranges",
        ["resources-memory-limit-and-request/workload-milli-suffix"] = "checks the value against a configured range; Keyward checks presence, not ranges",
        ["resources-memory-limit-and-request/workload-mixed-unit"] = "checks the value against a configured range; Keyward checks presence, not ranges",
        ["resources-secret-in-default-namespace/configmap"] = "a ConfigMap in default; KW805 covers workloads and Secrets only",
    };

    [Fact]
    public void Rule_tests_agree_with_kubescape()
    {
        var agreement = new Agreement("kubescape");
        foreach (var (ruleDir, mapping) in Covered.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var tests = SharedMaterial.Path("conformance", "kubescape", ruleDir, "test");
            foreach (var caseDir in Directory.GetDirectories(tests).Order(StringComparer.Ordinal))
            {
                if (NotCovered.ContainsKey($"{ruleDir}/{System.IO.Path.GetFileName(caseDir)}"))
                    continue;
                var inputDir = Directory.Exists(System.IO.Path.Combine(caseDir, "input")) ? System.IO.Path.Combine(caseDir, "input") : caseDir;
                var files = Directory.GetFiles(inputDir).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
                    .Where(f => !f.EndsWith("expected.json", StringComparison.Ordinal) && !f.EndsWith("data.json", StringComparison.Ordinal) && !f.EndsWith("expected-filter.json", StringComparison.Ordinal))
                    .Select(f => (System.IO.Path.GetFileName(f), File.ReadAllText(f))).ToList();
                var result = AuditHarness.Run(files, new AuditOptions { OnlyRules = mapping.AlsoRuleId is null ? [mapping.RuleId] : [mapping.RuleId, mapping.AlsoRuleId] });
                var documents = files.SelectMany(f => ManifestLoader.Load(f.Item2, f.Item1).Documents).ToList();
                var got = Flagged(result.Findings.Where(f => mapping.Filter?.Invoke(f) ?? true), documents, Rbac(ruleDir));
                var want = Expected(System.IO.Path.Combine(caseDir, "expected.json"), Rbac(ruleDir));
                var name = $"{ruleDir}/{System.IO.Path.GetFileName(caseDir)}";
                agreement.Record(name, want.SetEquals(got), $"kubescape [{string.Join(", ", want.Order())}], keyward [{string.Join(", ", got.Order())}]");
            }
        }
        agreement.AssertAtLeast95Percent();
    }

    private static bool Rbac(string ruleDir) => ruleDir.StartsWith("rule-can-", StringComparison.Ordinal) || ruleDir == "cluster-admin-role";

    /// <summary>Objects Keyward flags; for RBAC, roles that a binding in the case binds (kubescape alerts per bound subject).</summary>
    private static HashSet<string> Flagged(IEnumerable<Finding> findings, List<ManifestDocument> documents, bool rbac)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in findings)
        {
            if (f.Resource is not { } o)
                continue;
            if (rbac && o.Kind is "RoleBinding" or "ClusterRoleBinding")
            {
                var roleRef = documents.First(d => d.Kind == o.Kind && d.Reference.Name == o.Name).Root.Mapping("roleRef");
                set.Add($"{roleRef?.Scalar("kind")}/{roleRef?.Scalar("name")}");
            }
            else if (!rbac || documents.Any(b => b.Kind is "RoleBinding" or "ClusterRoleBinding" && b.Root.Mapping("roleRef")?.Scalar("name") == o.Name && b.Root.Mapping("roleRef")?.Scalar("kind") == o.Kind))
                set.Add($"{o.Kind}/{o.Name}");
        }
        return set;
    }

    private static HashSet<string> Expected(string path, bool rbac)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var alert in doc.RootElement.EnumerateArray())
        {
            var obj = alert.GetProperty("alertObject");
            if (obj.TryGetProperty("k8sApiObjects", out var k8s))
            {
                foreach (var o in k8s.EnumerateArray())
                {
                    var kind = o.GetProperty("kind").GetString();
                    if (!rbac || kind is "Role" or "ClusterRole")
                        set.Add($"{kind}/{o.GetProperty("metadata").GetProperty("name").GetString()}");
                }
            }
            if (obj.TryGetProperty("externalObjects", out var ext) && ext.TryGetProperty("relatedObjects", out var related))
            {
                foreach (var o in related.EnumerateArray())
                {
                    var kind = o.GetProperty("kind").GetString();
                    if (kind is "Role" or "ClusterRole")
                        set.Add($"{kind}/{o.GetProperty("metadata").GetProperty("name").GetString()}");
                }
            }
        }
        return set;
    }
}
