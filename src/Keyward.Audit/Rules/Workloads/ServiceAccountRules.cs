using Keyward.Manifests;

namespace Keyward.Audit.Rules.Hardening;

/// <summary>Service-account tokens mounted into pods that do not opt out.</summary>
public sealed class AutomountTokenRule : PodCheck
{
    public override string Id => "KW701";
    public override string Name => "automount-service-account-token";
    public override string Title => "Service-account token automounted";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.ServiceAccounts;
    public override string Why => "Every pod gets an API token by default; most applications never call the API, and a compromised container uses the token to explore or attack the cluster.";
    public override string Fix => "Set automountServiceAccountToken: false on the pod spec (or the ServiceAccount) and mount a projected token only where the API is used.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("default behaviour", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: shop:1.0\n", true),
        new("opted out on the pod", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  automountServiceAccountToken: false\n  containers:\n    - name: app\n      image: shop:1.0\n", false),
        new("opted out on its ServiceAccount", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: shop-api\n  namespace: shop\nautomountServiceAccountToken: false\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  serviceAccountName: shop-api\n  containers:\n    - name: app\n      image: shop:1.0\n", false),
    ];

    protected override void Check(PodSpecLocation pod, AuditContext context, FindingSink sink)
    {
        var own = pod.Spec.Bool("automountServiceAccountToken");
        if (own == false)
            return;
        var accountName = pod.Spec.Scalar("serviceAccountName") ?? pod.Spec.Scalar("serviceAccount") ?? "default";
        var site = ObjectSite.Of(pod.Document);
        var position = (pod.Spec.Child("automountServiceAccountToken") ?? pod.Spec).Position;
        var (kind, name, ns, path) = (pod.Document.Kind, pod.Document.Reference.Name, pod.Document.Reference.Namespace, pod.Path);
        // Its ServiceAccount may be in a file not read yet: decide once every file has been read.
        context.KeepLine(pod.Document.File, position.Line);
        context.Defer(this, deferredSink =>
        {
            var account = context.OfKind("ServiceAccount", ns).FirstOrDefault(a => a.Reference.Name == accountName);
            if (own is null && account?.Root.Bool("automountServiceAccountToken") == false)
                return;
            deferredSink.Report(site, position, $"{path}.automountServiceAccountToken", $"{kind} {name} mounts the token of service account {accountName}");
        });
    }
}

/// <summary>Workloads running as the namespace's default service account.</summary>
public sealed class DefaultServiceAccountRule : PodCheck
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW702";
    public override string Name => "default-service-account";
    public override string Title => "Workload uses the default service account";
    public override Severity Severity => Severity.Low;
    public override Category Category => Category.ServiceAccounts;
    public override string Why => "Pods sharing the default service account share its permissions: anything granted to one is granted to all, and audit logs cannot tell them apart.";
    public override string Fix => "Create a ServiceAccount per workload and set serviceAccountName.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("no serviceAccountName", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: shop:1.0\n", true),
        new("a dedicated account", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: shop-web\n      containers:\n        - name: web\n          image: shop:1.0\n", false),
    ];

    protected override void Check(PodSpecLocation pod, AuditContext context, FindingSink sink)
    {
        var name = pod.Spec.Scalar("serviceAccountName") ?? pod.Spec.Scalar("serviceAccount");
        if (name is null or "default")
            sink.Report(pod.Document, pod.Spec.Child("serviceAccountName") ?? pod.Spec, $"{pod.Path}.serviceAccountName",
                $"{pod.Document.Kind} {pod.Document.Reference.Name} runs as the default service account");
    }
}
