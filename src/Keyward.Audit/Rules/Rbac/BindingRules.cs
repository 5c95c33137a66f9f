using Keyward.Manifests;

namespace Keyward.Audit.Rules.Rbac;

/// <summary>Bindings to cluster-admin.</summary>
public sealed class ClusterAdminBindingRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW301";
    public override string Name => "cluster-admin-binding";
    public override string Title => "Binding to cluster-admin";
    public override Severity Severity => Severity.Critical;
    public override Category Category => Category.Rbac;
    public override string Why => "cluster-admin can do anything to any object, Secrets of every namespace included; a compromised subject owns the cluster.";
    public override string Fix => "Bind a role that grants only the verbs and resources the subject needs, in the namespaces it needs them.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a CI service account made cluster-admin", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci-admin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: deployer\n    namespace: ci\n", true),
        new("cluster-admin within one namespace is still too much", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: dev-admin\n  namespace: dev\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: Group\n    name: developers\n    apiGroup: rbac.authorization.k8s.io\n", true),
        new("the built-in edit role", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: dev-edit\n  namespace: dev\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n  - kind: Group\n    name: developers\n    apiGroup: rbac.authorization.k8s.io\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (!RbacModel.IsBinding(document) || document.Root.Mapping("roleRef") is not { } roleRef || roleRef.Scalar("name") != "cluster-admin")
            return;
        var subjects = string.Join(", ", RbacModel.Subjects(document).Select(s => RbacModel.DescribeSubject(s.Subject)));
        sink.Report(document, roleRef.Child("name"), "roleRef.name",
            $"{document.Kind} {document.Reference.Name} grants cluster-admin to {(subjects.Length > 0 ? subjects : "no subject")}",
            document.Kind == "RoleBinding" ? Severity.High : Severity.Critical);
    }
}

/// <summary>Grants to a namespace's default service account, which every pod without its own account runs as.</summary>
public sealed class DefaultServiceAccountGrantRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW307";
    public override string Name => "default-service-account-grant";
    public override string Title => "Permissions granted to the default service account";
    public override Severity Severity => Severity.High;
    public override Category Category => Category.Rbac;
    public override string Why => "Every pod that does not name a service account runs as default: a grant to it is a grant to all of them, including pods added later.";
    public override string Fix => "Create a dedicated ServiceAccount for the workload that needs the permission and bind the role to it.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a RoleBinding to default", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: read-config\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: config-reader\nsubjects:\n  - kind: ServiceAccount\n    name: default\n    namespace: shop\n", true),
        new("a dedicated account", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: read-config\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: config-reader\nsubjects:\n  - kind: ServiceAccount\n    name: shop-api\n    namespace: shop\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (!RbacModel.IsBinding(document))
            return;
        foreach (var (i, s) in RbacModel.Subjects(document))
        {
            if (s.Scalar("kind") == "ServiceAccount" && s.Scalar("name") == "default")
                sink.Report(document, s, $"subjects[{i}]",
                    $"{document.Kind} {document.Reference.Name} grants {document.Root.Mapping("roleRef")?.Scalar("name")} to the default service account of {RbacModel.SubjectNamespace(document, s) ?? "its namespace"}");
        }
    }
}

/// <summary>A ClusterRoleBinding used where a RoleBinding would do: every subject lives in one namespace.</summary>
public sealed class ClusterBindingForOneNamespaceRule : Rule
{
    private static readonly HashSet<string> NamespacedBuiltIns = new(StringComparer.Ordinal) { "view", "edit", "admin" };

    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "nodes", "namespaces", "persistentvolumes", "clusterroles", "clusterrolebindings", "customresourcedefinitions", "storageclasses",
        "priorityclasses", "csinodes", "csidrivers", "volumeattachments", "mutatingwebhookconfigurations", "validatingwebhookconfigurations",
        "apiservices", "certificatesigningrequests", "runtimeclasses", "ingressclasses", "tokenreviews", "subjectaccessreviews", "*",
    };

    public override string Id => "KW306";
    public override string Name => "cluster-binding-for-one-namespace";
    public override string Title => "ClusterRole bound cluster-wide for subjects of one namespace";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Rbac;
    public override string Why => "A ClusterRoleBinding grants the role in every namespace, present and future; when all subjects live in one namespace and the role covers only namespaced resources, a RoleBinding gives them what they need without the rest.";
    public override string Fix => "Replace the ClusterRoleBinding by a RoleBinding in the subjects' namespace (it can still reference the ClusterRole).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("view bound cluster-wide for one app", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: shop-view\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n  - kind: ServiceAccount\n    name: shop-api\n    namespace: shop\n", true),
        new("a controller that reads nodes", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: node-reader\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"nodes\"]\n    verbs: [\"get\", \"list\", \"watch\"]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: karpenter-nodes\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: node-reader\nsubjects:\n  - kind: ServiceAccount\n    name: karpenter\n    namespace: karpenter\n", false),
    ];

    /// <summary>Across objects (the ClusterRole may be in a later file), so after every file has been read.</summary>
    public override void CheckRepository(AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var binding in context.OfKind("ClusterRoleBinding"))
            Check(binding, context, sink);
    }

    private static void Check(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        if (document.Root.Mapping("roleRef")?.Scalar("name") is not { } roleName || roleName == "cluster-admin")
            return;
        var namespaces = RbacModel.Subjects(document).Select(s => RbacModel.SubjectNamespace(document, s.Subject)).ToList();
        if (namespaces.Count == 0 || namespaces.Any(n => n is null) || namespaces.Distinct().Count() != 1)
            return;
        var role = context.FindRole("ClusterRole", null, roleName);
        bool namespacedOnly = role is null
            ? NamespacedBuiltIns.Contains(roleName)
            : RbacModel.Rules(role).All(r => r.Node.Child("nonResourceURLs") is null && r.Resources.All(res => !ClusterScoped.Contains(res.Split('/')[0])));
        if (namespacedOnly)
            sink.Report(document, document.Root.KeyNode("roleRef"), "roleRef",
                $"ClusterRoleBinding {document.Reference.Name} grants {roleName} in every namespace, but all its subjects are in {namespaces[0]}");
    }
}

/// <summary>Bindings whose subject is everyone: anonymous requests, or every authenticated user and service account.</summary>
public sealed class BindingToEveryoneRule : Rule
{
    /// <summary>What the API server binds to these groups itself: discovery and version information, nothing more.</summary>
    private static readonly HashSet<string> BuiltInDefaults = new(StringComparer.Ordinal)
    {
        "system:public-info-viewer", "system:discovery", "system:basic-user", "system:service-account-issuer-discovery",
    };

    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW308";
    public override string Name => "binding-to-everyone";
    public override string Title => "Role bound to anonymous users, or to all authenticated users or service accounts";
    public override Severity Severity => Severity.Critical;
    public override Category Category => Category.Rbac;
    public override string Why => "system:unauthenticated and system:anonymous are whoever reaches the API server without credentials; system:authenticated is every user and every service account of every namespace, so one compromised pod anywhere holds the grant.";
    public override string Fix => "Bind the role to the users, groups or service accounts that need it; leave anonymous access to the defaults the API server creates (or turn it off with --anonymous-auth=false).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("admin for anonymous users", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: open-shop\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: admin\nsubjects:\n  - kind: Group\n    name: system:unauthenticated\n    apiGroup: rbac.authorization.k8s.io\n", true),
        new("edit for every authenticated identity", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: everyone-edits\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n  - kind: Group\n    name: system:authenticated\n    apiGroup: rbac.authorization.k8s.io\n", true),
        new("a named group", "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: shop-editors\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n  - kind: Group\n    name: shop-developers\n    apiGroup: rbac.authorization.k8s.io\n", false),
    ];

    /// <summary>
    /// For every authenticated identity: the built-in roles that write (or own) what they cover are grave; a role of
    /// one's own is only as grave as what it grants, which the binding alone does not say.
    /// </summary>
    private static Severity Broad(string role) => role switch
    {
        "cluster-admin" => Severity.Critical,
        "admin" or "edit" => Severity.High,
        _ => Severity.Medium,
    };

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (!RbacModel.IsBinding(document))
            return;
        var role = document.Root.Mapping("roleRef")?.Scalar("name") ?? "?";
        foreach (var (i, s) in RbacModel.Subjects(document))
        {
            var who = (s.Scalar("kind"), s.Scalar("name")) switch
            {
                ("Group", "system:unauthenticated") => "anonymous requests (system:unauthenticated)",
                ("User", "system:anonymous") => "anonymous requests (system:anonymous)",
                ("Group", "system:authenticated") => "every authenticated user and service account (system:authenticated)",
                ("Group", "system:serviceaccounts") => "every service account of every namespace (system:serviceaccounts)",
                _ => null,
            };
            if (who is null)
                continue;
            var severity = BuiltInDefaults.Contains(role) ? Severity.Low
                : s.Scalar("name") is "system:unauthenticated" or "system:anonymous" ? Severity.Critical
                : Broad(role);
            sink.Report(document, s, $"subjects[{i}]", $"{document.Kind} {document.Reference.Name} grants {role} to {who}", severity);
        }
    }
}
