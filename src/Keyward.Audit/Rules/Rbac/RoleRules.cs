using Keyward.Manifests;

namespace Keyward.Audit.Rules.Rbac;

/// <summary>Base for checks of each policy rule of a Role or ClusterRole.</summary>
public abstract class PolicyRuleCheck : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override Category Category => Category.Rbac;

    public sealed override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!RbacModel.IsRole(document))
            return;
        foreach (var rule in RbacModel.Rules(document))
            Check(rule, sink);
    }

    internal abstract void Check(PolicyRule rule, FindingSink sink);

    private protected static string Subject(PolicyRule rule) => $"{rule.Role.Kind} {rule.Role.Reference.Name}";
}

/// <summary>Wildcards in verbs, resources or apiGroups.</summary>
public sealed class RbacWildcardRule : PolicyRuleCheck
{
    public override string Id => "KW302";
    public override string Name => "rbac-wildcard";
    public override string Title => "Wildcard in a role";
    public override Severity Severity => Severity.High;
    public override string Why => "A wildcard grants every verb, resource or API group, including ones added later by CRDs and upgrades: Secrets, escalate, impersonate.";
    public override string Fix => "List the verbs, resources and API groups the subject needs explicitly.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("all verbs on all resources", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: operator\nrules:\n  - apiGroups: [\"*\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]\n", true),
        new("all verbs on deployments", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\n  namespace: shop\nrules:\n  - apiGroups: [\"apps\"]\n    resources: [\"deployments\"]\n    verbs: [\"*\"]\n", true),
        new("explicit lists", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\n  namespace: shop\nrules:\n  - apiGroups: [\"apps\"]\n    resources: [\"deployments\"]\n    verbs: [\"get\", \"list\", \"patch\"]\n", false),
    ];

    internal override void Check(PolicyRule rule, FindingSink sink)
    {
        foreach (var field in new[] { "verbs", "resources", "apiGroups" })
        {
            if (rule.Node.Strings(field).Contains("*"))
                sink.Report(rule.Role, rule.Node.Child(field), $"{rule.Path}.{field}", $"{Subject(rule)} uses a wildcard in {field}");
        }
    }
}

/// <summary>Reading Secrets: get, list or watch of every Secret, and (at low severity) list or watch limited by resourceNames.</summary>
public sealed class SecretsReadRule : PolicyRuleCheck
{
    public override string Id => "KW303";
    public override string Name => "secrets-read-access";
    public override string Title => "Role can read Secrets";
    public override Severity Severity => Severity.High;
    public override string Why => "Reading a Secret reveals its value: get, list or watch without resourceNames reads every Secret of the namespace (or cluster). With resourceNames, Kubernetes allows a list or watch only with a metadata.name field selector naming one of them, so those verbs add nothing to get; they are reported at low severity because they suggest code that lists the namespace's Secrets (it will get Forbidden) and widen at once if resourceNames is dropped.";
    public override string Fix => "Grant only get, with resourceNames naming the Secrets needed; better, mount the Secret into the pod and grant no API access at all.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("secret-reader with list and resourceNames", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: secret-reader\n  namespace: telemetry\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    resourceNames: [\"telemetry-auth-secret\"]\n    verbs: [\"get\", \"list\"]\n", true),
        new("get on every Secret", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: secret-getter\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"get\"]\n", true),
        new("get of one named Secret", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: secret-reader\n  namespace: telemetry\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    resourceNames: [\"telemetry-auth-secret\"]\n    verbs: [\"get\"]\n", false),
        new("ConfigMaps only", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: config-reader\n  namespace: shop\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n    verbs: [\"get\", \"list\", \"watch\"]\n", false),
    ];

    private static readonly string[] ListWatch = ["list", "watch"];

    internal override void Check(PolicyRule rule, FindingSink sink)
    {
        if (!rule.CoversCore("secrets"))
            return;
        var verbs = ListWatch.Where(rule.Grants).ToList();
        if (rule.ResourceNames.Count > 0)
        {
            // Named: a list or watch must select one of the names, so the access is get's; only the grant is wider.
            if (verbs.Count > 0)
            {
                sink.Report(rule.Role, rule.Node.Child("verbs"), $"{rule.Path}.verbs",
                    $"{Subject(rule)} can {string.Join("/", verbs)} Secrets limited by resourceNames (allowed only with a metadata.name field selector; get is enough)",
                    Severity.Low);
            }
            return;
        }
        if (rule.Grants("get"))
            verbs.Insert(0, "get");
        if (verbs.Count > 0)
            sink.Report(rule.Role, rule.Node.Child("verbs"), $"{rule.Path}.verbs", $"{Subject(rule)} can {string.Join("/", verbs)} Secrets");
    }
}

/// <summary>bind, escalate and impersonate: the verbs that get around RBAC itself.</summary>
public sealed class EscalationVerbsRule : PolicyRuleCheck
{
    public override string Id => "KW304";
    public override string Name => "rbac-escalation-verbs";
    public override string Title => "Role can bind, escalate or impersonate";
    public override Severity Severity => Severity.Critical;
    public override string Why => "bind and escalate let a subject grant itself permissions it does not have; impersonate lets it act as any user, group or service account. Each is a path to cluster-admin.";
    public override string Fix => "Remove these verbs; only cluster administrators and the RBAC controllers need them.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("impersonation (the cloudsigma CCM pattern)", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ccm-impersonator\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"users\", \"groups\", \"serviceaccounts\"]\n    verbs: [\"impersonate\"]\n", true),
        new("escalate on roles", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role-manager\n  namespace: shop\nrules:\n  - apiGroups: [\"rbac.authorization.k8s.io\"]\n    resources: [\"roles\"]\n    verbs: [\"create\", \"escalate\", \"bind\"]\n", true),
        new("every verb on identities", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: identity-admin\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"users\", \"groups\", \"serviceaccounts\"]\n    verbs: [\"*\"]\n", true),
        new("every verb on workloads", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\n  namespace: shop\nrules:\n  - apiGroups: [\"apps\"]\n    resources: [\"deployments\"]\n    verbs: [\"*\"]\n", false),
        new("managing roles without escalation", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role-viewer\n  namespace: shop\nrules:\n  - apiGroups: [\"rbac.authorization.k8s.io\"]\n    resources: [\"roles\", \"rolebindings\"]\n    verbs: [\"get\", \"list\"]\n", false),
    ];

    private static readonly string[] Dangerous = ["bind", "escalate", "impersonate"];

    /// <summary>What bind and escalate (roles) and impersonate (identities) act on; "*" is every one of them.</summary>
    private static readonly string[] Targets = ["roles", "clusterroles", "users", "groups", "serviceaccounts", "uids", "userextras/*", "*"];

    internal override void Check(PolicyRule rule, FindingSink sink)
    {
        var verbs = Dangerous.Where(v => rule.Verbs.Contains(v)).ToList();
        if (verbs.Count == 0 && rule.Verbs.Contains("*") && rule.Resources.Any(r => Targets.Contains(r)))
            verbs.Add("* (bind, escalate and impersonate among them)");
        if (verbs.Count > 0)
            sink.Report(rule.Role, rule.Node.Child("verbs"), $"{rule.Path}.verbs", $"{Subject(rule)} grants {string.Join(", ", verbs)} on {string.Join(", ", rule.Resources)}");
    }
}

/// <summary>Creating pods or exec into them: running code with any service account and Secret of the namespace.</summary>
public sealed class PodCreateExecRule : PolicyRuleCheck
{
    public override string Id => "KW305";
    public override string Name => "pod-create-exec";
    public override string Title => "Role can create pods or exec into them";
    public override Severity Severity => Severity.High;
    public override string Why => "Whoever creates a pod can mount any Secret and run as any service account of the namespace; pods/exec and pods/attach give a shell in running pods with their tokens and files.";
    public override string Fix => "Let a controller (Deployment, Job) create pods and grant humans and CI only the higher-level resources; remove pods/exec outside break-glass roles.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("create pods", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: runner\n  namespace: ci\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\"]\n    verbs: [\"create\", \"delete\"]\n", true),
        new("exec into pods", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: debugger\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"pods/exec\"]\n    verbs: [\"create\"]\n", true),
        new("every verb on pods", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: pod-admin\n  namespace: ci\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\", \"pods/exec\"]\n    verbs: [\"*\"]\n", true),
        new("read pods and logs", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: support\n  namespace: shop\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\", \"pods/log\"]\n    verbs: [\"get\", \"list\"]\n", false),
    ];

    internal override void Check(PolicyRule rule, FindingSink sink)
    {
        var what = new List<string>();
        if (rule.CoversCore("pods") && rule.Grants("create"))
            what.Add("create pods");
        foreach (var sub in new[] { "pods/exec", "pods/attach" })
        {
            if (rule.CoversCore(sub) && (rule.Grants("create") || rule.Grants("get")))
                what.Add(sub);
        }
        if (what.Count > 0)
            sink.Report(rule.Role, rule.Node.Child("resources"), $"{rule.Path}.resources", $"{Subject(rule)} can {string.Join(", ", what)}");
    }
}

/// <summary>
/// Creating Secrets. resourceNames cannot restrict create (the name is not known when it is authorized), and a
/// Secret of type kubernetes.io/service-account-token that names a ServiceAccount is filled in by the control plane
/// with that account's token: with create and any read of Secrets, a subject holds every ServiceAccount of the namespace.
/// </summary>
public sealed class SecretsCreateRule : PolicyRuleCheck
{
    public override string Id => "KW309";
    public override string Name => "secrets-create";
    public override string Title => "Role can create Secrets";
    public override Severity Severity => Severity.High;
    public override string Why => "resourceNames cannot restrict create. A subject that creates a Secret of type kubernetes.io/service-account-token naming any ServiceAccount of the namespace gets that account's token written into it; if it can also read a Secret it names (get on one name is enough), it holds every account of the namespace (high). Without any read of Secrets it can still plant Secrets under names a workload or controller expects (medium).";
    public override string Fix => "Let a controller or the GitOps tool create Secrets; if a workload must, give it a Role of its own with create alone, no read of Secrets, in a namespace without privileged ServiceAccounts. Rotators only need get, update and patch with resourceNames.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("token writer that creates and reads its Secret (the CloudSigma CSI token pattern)", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: csi-token-writer\n  namespace: kube-system\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    resourceNames: [\"cloudsigma-token\"]\n    verbs: [\"get\", \"create\", \"update\", \"patch\"]\n", true),
        new("create alone", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: secret-writer\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"create\"]\n", true),
        new("rotator limited to its Secret", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: rotator\n  namespace: shop\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    resourceNames: [\"api-keys\"]\n    verbs: [\"get\", \"update\", \"patch\"]\n", false),
        new("create ConfigMaps", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: config-writer\n  namespace: shop\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n    verbs: [\"create\", \"update\"]\n", false),
    ];

    internal override void Check(PolicyRule rule, FindingSink sink)
    {
        if (!rule.CoversCore("secrets") || !rule.Grants("create"))
            return;
        bool reads = RbacModel.Rules(rule.Role).Any(r => r.CoversCore("secrets") && (r.Grants("get") || r.Grants("list") || r.Grants("watch")));
        var names = rule.ResourceNames.Count > 0 ? " (resourceNames does not restrict create)" : "";
        var message = reads
            ? $"{Subject(rule)} can create and read Secrets{names}: a service-account token Secret it creates gives it any ServiceAccount's token"
            : $"{Subject(rule)} can create Secrets{names}";
        sink.Report(rule.Role, rule.Node.Child("verbs"), $"{rule.Path}.verbs", message, reads ? Severity.High : Severity.Medium);
    }
}
