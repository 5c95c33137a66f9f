using Keyward.Manifests;

namespace Keyward.Audit.Rules.Hardening;

/// <summary>Base for checks of each container (init and ephemeral included) of every kind that runs pods.</summary>
public abstract class ContainerCheck : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override Category Category => Category.WorkloadSecurity;

    /// <summary>Whether init containers are checked too.</summary>
    protected virtual bool IncludeInit => true;

    /// <summary>
    /// False for Linux-only fields: the API server refuses them in a pod whose <c>spec.os.name</c> is windows, so
    /// the fix would make the manifest invalid.
    /// </summary>
    protected virtual bool AppliesToWindows => true;

    public sealed override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (Workloads.FindPodSpec(document) is not { } pod)
            return;
        if (!AppliesToWindows && pod.Spec.Mapping("os")?.Scalar("name") == "windows")
            return;
        foreach (var container in Workloads.Containers(pod, IncludeInit))
            Check(container, context, sink);
    }

    protected abstract void Check(ContainerLocation container, AuditContext context, FindingSink sink);

    /// <summary>The small pod the examples wrap a container snippet in.</summary>
    protected static string Pod(string containerFields, string podFields = "") =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n" + podFields + "  containers:\n    - name: app\n      image: registry.example.com/shop@sha256:4f6c0a9d2b1e8f7a6c5d4e3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39\n" + containerFields;
}

/// <summary>Pod-level checks for every kind that runs pods.</summary>
public abstract class PodCheck : Rule
{
    public override Category Category => Category.WorkloadSecurity;

    public sealed override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (Workloads.FindPodSpec(document) is { } pod)
            Check(pod, context, sink);
    }

    protected abstract void Check(PodSpecLocation pod, AuditContext context, FindingSink sink);
}
