using System.Text.Json;
using Keyward.Audit;
using Keyward.Manifests;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Conformance;

/// <summary>
/// kube-linter's check fixtures (shared/conformance/kube-linter) for the checks a Keyward rule covers. The unit is an
/// object of the kinds the check reports on: kube-linter flags it (its reports, matched to the fixture objects not
/// named dont-fire*) or not, and Keyward does or does not. RBAC checks that kube-linter reports on bindings are
/// compared through the bound role (Keyward reports the role that grants the access).
/// </summary>
public class KubeLinterCorpusTests
{
    private enum Domain
    {
        Workload,
        Binding,
        BindingViaRole,
        Role,
    }

    private sealed record Mapping(string RuleId, Domain Domain, Func<Finding, bool>? Filter = null);

    private static readonly Dictionary<string, Mapping> Covered = new(StringComparer.Ordinal)
    {
        ["access-to-create-pods"] = new("KW305", Domain.BindingViaRole),
        ["access-to-secrets"] = new("KW303", Domain.BindingViaRole),
        ["cluster-admin-role-binding"] = new("KW301", Domain.Binding),
        ["wildcard-in-rules"] = new("KW302", Domain.Role),
        ["default-service-account"] = new("KW702", Domain.Workload),
        ["env-var-secret"] = new("KW104", Domain.Workload),
        ["read-secret-from-env-var"] = new("KW108", Domain.Workload),
        ["latest-tag"] = new("KW601", Domain.Workload),
        ["no-read-only-root-fs"] = new("KW403", Domain.Workload),
        ["privilege-escalation-container"] = new("KW402", Domain.Workload),
        ["privileged-container"] = new("KW404", Domain.Workload),
        ["run-as-non-root"] = new("KW401", Domain.Workload),
        ["drop-net-raw-capability"] = new("KW405", Domain.Workload, f => f.Message.Contains("adds capabilities", StringComparison.Ordinal) && f.Message.Contains("NET_RAW", StringComparison.Ordinal)),
        ["host-ipc"] = new("KW407", Domain.Workload, f => f.FieldPath!.EndsWith("hostIPC", StringComparison.Ordinal)),
        ["host-network"] = new("KW407", Domain.Workload, f => f.FieldPath!.EndsWith("hostNetwork", StringComparison.Ordinal)),
        ["host-pid"] = new("KW407", Domain.Workload, f => f.FieldPath!.EndsWith("hostPID", StringComparison.Ordinal)),
        ["docker-sock"] = new("KW408", Domain.Workload, f => f.Message.Contains("docker.sock", StringComparison.Ordinal)),
        ["sensitive-host-mounts"] = new("KW408", Domain.Workload, f => f.Severity == Severity.Critical),
        ["writable-host-mount"] = new("KW408", Domain.Workload),
        ["unset-cpu-requirements"] = new("KW501", Domain.Workload, f => f.Message.Contains("requests.cpu", StringComparison.Ordinal)),
        ["unset-memory-requirements"] = new("KW501", Domain.Workload, f => f.Message.Contains("limits.memory", StringComparison.Ordinal)),
        ["use-namespace"] = new("KW805", Domain.Workload),
        ["non-isolated-pod"] = new("KW804", Domain.Workload),
    };

    [Fact]
    public void Fixtures_agree_with_kube_linter()
    {
        var agreement = new Agreement("kube-linter");
        foreach (var expectedFile in Directory.GetFiles(SharedMaterial.Path("conformance", "kube-linter", "expected"), "*.json").Order(StringComparer.Ordinal))
        {
            using var expected = JsonDocument.Parse(File.ReadAllText(expectedFile));
            if (!expected.RootElement.TryGetProperty("check", out var checkElement))
                continue; // the kustomize rendering case has no single check
            var check = checkElement.GetString()!;
            if (!Covered.TryGetValue(check, out var mapping))
                continue;
            var fixture = expected.RootElement.GetProperty("fixture").GetString()!;
            Compare(agreement, check, mapping, SharedMaterial.Path("conformance", "kube-linter", fixture), expected.RootElement.GetProperty("expected_reports"));
        }
        agreement.AssertAtLeast95Percent();
    }

    private static void Compare(Agreement agreement, string check, Mapping mapping, string fixturePath, JsonElement reports)
    {
        var text = File.ReadAllText(fixturePath);
        var result = AuditHarness.Run([(Path.GetFileName(fixturePath), text)], new AuditOptions { OnlyRules = [mapping.RuleId] });
        var documents = ManifestLoader.Load(text, Path.GetFileName(fixturePath)).Documents;
        var findings = result.Findings.Where(f => mapping.Filter?.Invoke(f) ?? true).ToList();
        bool FlaggedDirectly(ManifestDocument d) => findings.Any(f => f.Resource?.Kind == d.Kind && f.Resource?.Name == d.Reference.Name && f.Position.Line >= d.Start.Line
            && !documents.Any(o => o != d && o.Start.Line > d.Start.Line && o.Start.Line <= f.Position.Line));
        bool Flagged(ManifestDocument d) => mapping.Domain == Domain.BindingViaRole
            ? documents.Where(r => r.Kind == d.Root.Mapping("roleRef")?.Scalar("kind") && r.Reference.Name == d.Root.Mapping("roleRef")?.Scalar("name")).Any(FlaggedDirectly)
            : FlaggedDirectly(d);
        var domain = documents.Where(d => mapping.Domain switch
        {
            Domain.Workload => Workloads.IsWorkload(d),
            Domain.Role => d.Kind is "Role" or "ClusterRole",
            _ => d.Kind is "RoleBinding" or "ClusterRoleBinding",
        }).ToList();
        var expectedByKind = reports.EnumerateArray().GroupBy(r => r.GetProperty("kind").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        foreach (var kindGroup in domain.GroupBy(d => d.Kind!))
        {
            int expectedCount = expectedByKind.GetValueOrDefault(kindGroup.Key);
            var candidates = kindGroup.Where(d => !(d.Reference.Name ?? "").StartsWith("dont-fire", StringComparison.Ordinal)).ToList();
            if (candidates.Count == expectedCount)
            {
                foreach (var d in kindGroup)
                {
                    bool want = candidates.Contains(d), got = Flagged(d);
                    agreement.Record($"{check} {d.Kind}/{d.Reference.Name}", want == got, want ? "kube-linter flags it, keyward does not" : "keyward flags it, kube-linter does not");
                }
            }
            else
            {
                // The fixture's names do not say which objects fire: compare how many do.
                int got = kindGroup.Count(Flagged);
                agreement.Record($"{check} {kindGroup.Key} (x{kindGroup.Count()})", got == expectedCount, $"kube-linter flags {expectedCount}, keyward {got}");
            }
        }
    }
}
