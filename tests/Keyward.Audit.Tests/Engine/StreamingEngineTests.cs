using Keyward.Manifests;

namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// The engine reads one file at a time and drops trees it no longer needs; checks that look at other objects must
/// still see objects from files read later, and annotations must still suppress findings about dropped trees.
/// </summary>
public class StreamingEngineTests
{
    private const string Deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      serviceAccountName: web\n      containers:\n        - name: web\n          image: shop:1.0\n";

    private static IReadOnlyList<Finding> Run(string ruleId, params (string File, string Text)[] files) =>
        AuditHarness.Run(files, new AuditOptions { OnlyRules = [ruleId] }).Findings;

    [Theory]
    [InlineData("a-deploy.yaml", "z-account.yaml")]
    [InlineData("z-deploy.yaml", "a-account.yaml")]
    public void A_service_account_in_any_file_decides_the_automount_finding(string deployFile, string accountFile)
    {
        const string account = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\nautomountServiceAccountToken: false\n";
        Assert.Empty(Run("KW701", (deployFile, Deployment), (accountFile, account)));
        var without = Assert.Single(Run("KW701", (deployFile, Deployment)));
        Assert.Equal(deployFile, without.File);
        Assert.Equal(new SourcePosition(12, 7), without.Position); // the pod spec, at its first key
    }

    [Theory]
    [InlineData("a-binding.yaml", "z-role.yaml")]
    [InlineData("z-binding.yaml", "a-role.yaml")]
    public void A_cluster_role_in_any_file_decides_the_cluster_binding_finding(string bindingFile, string roleFile)
    {
        const string binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: nodes\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: node-reader\nsubjects:\n  - kind: ServiceAccount\n    name: karpenter\n    namespace: karpenter\n";
        const string nodeReader = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: node-reader\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"nodes\"]\n    verbs: [\"get\"]\n";
        const string podReader = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: node-reader\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\"]\n    verbs: [\"get\"]\n";
        Assert.Empty(Run("KW306", (bindingFile, binding), (roleFile, nodeReader)));
        Assert.Equal(bindingFile, Assert.Single(Run("KW306", (bindingFile, binding), (roleFile, podReader))).File);
    }

    [Fact]
    public void A_policy_in_a_later_file_isolates_pods_of_an_earlier_one()
    {
        const string policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n";
        Assert.Empty(Run("KW804", ("a.yaml", Deployment), ("b.yaml", policy)));
        var finding = Assert.Single(Run("KW804", ("a.yaml", Deployment)));
        Assert.Equal(new SourcePosition(9, 7), finding.Position);
        Assert.Equal("spec.template.metadata", finding.FieldPath);
    }

    [Fact]
    public void An_ignore_annotation_suppresses_findings_reported_after_its_tree_is_gone()
    {
        var annotated = Deployment.Replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n    keyward.io/ignore: \"KW701,KW804: sidecar-less batch job\"\n", StringComparison.Ordinal);
        var result = AuditHarness.Run([("a.yaml", annotated)], new AuditOptions { OnlyRules = ["KW701", "KW804"] });
        Assert.Empty(result.Findings);
        Assert.Equal(2, result.Stats.Suppressed[SuppressionKind.Annotation]);
    }

    [Fact]
    public void Looking_up_a_kind_that_is_not_kept_is_a_bug_not_an_empty_answer()
    {
        var context = new AuditContext([]);
        Assert.Throws<InvalidOperationException>(() => context.OfKind("Deployment"));
        Assert.Empty(context.OfKind("ServiceAccount"));
    }
}
