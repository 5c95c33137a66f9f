using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Namespaces;

/// <summary>Base for "a namespace with workloads lacks object X" checks.</summary>
public abstract class NamespaceLacksRule : Rule
{
    public override Category Category => Category.Namespaces;

    private protected abstract bool Has(AuditContext context, string ns);

    private protected abstract string Missing { get; }

    public sealed override void CheckRepository(AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var (ns, at, position, atNamespace) in NamespaceModel.WorkloadNamespaces(context))
        {
            if (!Has(context, ns))
                sink.Report(at, position, atNamespace ? "metadata.name" : "metadata.namespace", $"namespace {ns} runs workloads but has no {Missing}");
        }
    }

    private protected const string Deployment = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: shop:1.0\n";
}

public sealed class NamespaceQuotaRule : NamespaceLacksRule
{
    public override string Id => "KW801";
    public override string Name => "namespace-without-quota";
    public override string Title => "Namespace without a ResourceQuota";
    public override Severity Severity => Severity.Medium;
    public override string Why => "Without a quota one namespace (a runaway deployment or a compromised CI token) can consume the whole cluster's CPU, memory, storage and object counts.";
    public override string Fix => "Add a ResourceQuota to the namespace with limits on requests, limits, pods and Secrets/ConfigMaps counts.";
    private protected override string Missing => "ResourceQuota";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a namespace with a Deployment and nothing else", Deployment, true, "shop.yaml"),
        new("with a quota", Deployment + "---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: shop\n  namespace: shop\nspec:\n  hard:\n    requests.cpu: \"4\"\n", false, "shop.yaml"),
    ];

    private protected override bool Has(AuditContext context, string ns) => NamespaceModel.InNamespace(context, "ResourceQuota", ns).Any();
}

public sealed class NamespaceLimitRangeRule : NamespaceLacksRule
{
    public override string Id => "KW802";
    public override string Name => "namespace-without-limitrange";
    public override string Title => "Namespace without a LimitRange";
    public override Severity Severity => Severity.Low;
    public override string Why => "A LimitRange gives containers that forget resources default requests and limits; without it they run unbounded (and a quota on limits rejects them outright).";
    public override string Fix => "Add a LimitRange with default and defaultRequest values for containers.";
    private protected override string Missing => "LimitRange";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a namespace with a Deployment and nothing else", Deployment, true, "shop.yaml"),
        new("with a LimitRange", Deployment + "---\napiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: shop\nspec:\n  limits:\n    - type: Container\n      default:\n        memory: 256Mi\n", false, "shop.yaml"),
    ];

    private protected override bool Has(AuditContext context, string ns) => NamespaceModel.InNamespace(context, "LimitRange", ns).Any();
}

public sealed class DefaultDenyRule : NamespaceLacksRule
{
    public override string Id => "KW803";
    public override string Name => "namespace-without-default-deny";
    public override string Title => "Namespace without a default-deny NetworkPolicy";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Network;
    public override string Why => "Kubernetes allows all traffic by default: without a default-deny policy any compromised pod can reach every pod of the namespace and the internet, and new pods start unprotected.";
    public override string Fix => "Add a NetworkPolicy with podSelector: {}, policyTypes [Ingress, Egress] and no rules, then allow the flows each workload needs.";
    private protected override string Missing => "default-deny NetworkPolicy for both ingress and egress";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("no policy", Deployment, true, "shop.yaml"),
        new("ingress denied, egress open", Deployment + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-ingress\n  namespace: shop\nspec:\n  podSelector: {}\n", true, "shop.yaml"),
        new("default deny both ways", Deployment + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n", false, "shop.yaml"),
    ];

    private protected override bool Has(AuditContext context, string ns)
    {
        bool ingress = false, egress = false;
        foreach (var policy in NamespaceModel.InNamespace(context, "NetworkPolicy", ns))
        {
            var spec = policy.Root.Mapping("spec");
            if (spec is null || spec.Mapping("podSelector") is not { } selector || selector.Count > 0 && !IsEmptySelector(selector))
                continue;
            var types = NamespaceModel.PolicyTypes(policy);
            if (types.Contains("Ingress") && IsEmptyRules(spec.Child("ingress")))
                ingress = true;
            if (types.Contains("Egress") && IsEmptyRules(spec.Child("egress")))
                egress = true;
        }
        return ingress && egress;
    }

    private static bool IsEmptySelector(YamlMap selector) =>
        selector.Mapping("matchLabels") is null or { Count: 0 } && selector.Sequence("matchExpressions") is null or { Count: 0 };

    private static bool IsEmptyRules(YamlValue? rules) => rules is null || rules is YamlList { Count: 0 };
}

/// <summary>Workloads in the default namespace (or with no namespace, which lands in whatever the context says).</summary>
public sealed class DefaultNamespaceRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW805";
    public override string Name => "default-namespace";
    public override string Title => "Workload in the default namespace";
    public override Severity Severity => Severity.Low;
    public override Category Category => Category.Namespaces;
    public override string Why => "The default namespace has no quota, policy or RBAC boundary of its own; objects without a namespace land in whatever namespace the applying context points at.";
    public override string Fix => "Give every workload (and its Secrets) an explicit, dedicated namespace.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("explicit default", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: shop:1.0\n", true),
        new("a Secret in default", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: telemetry-auth-secret\n  namespace: default\n", true),
        new("no namespace", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: shop:1.0\n", true),
        new("a dedicated namespace", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: shop:1.0\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (!Workloads.IsWorkload(document) && document.Kind != "Secret")
            return;
        var ns = document.Reference.Namespace;
        if (ns is null)
            sink.Report(document, document.Root.KeyNode("metadata"), "metadata.namespace", $"{document.Kind} {document.Reference.Name} has no namespace (it lands in the current context's, often default)");
        else if (ns == "default")
            sink.Report(document, document.Root.Mapping("metadata")!.Child("namespace"), "metadata.namespace", $"{document.Kind} {document.Reference.Name} is in the default namespace");
    }
}

/// <summary>Pods that no NetworkPolicy selects: all their traffic is allowed.</summary>
public sealed class PodNotIsolatedRule : Rule
{
    public override string Id => "KW804";
    public override string Name => "pod-not-isolated";
    public override string Title => "Pods no NetworkPolicy selects";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Network;
    public override string Why => "A pod no NetworkPolicy selects accepts connections from every pod of the cluster and can connect anywhere.";
    public override string Fix => "Add a default-deny policy to the namespace or a NetworkPolicy whose podSelector matches the workload's labels.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("a policy for other pods only", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: shop:1.0\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: db\n", true, "shop.yaml"),
        new("selected by a CiliumNetworkPolicy", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: web\nspec:\n  containers:\n    - name: web\n      image: shop:1.0\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels:\n      app: web\n", false, "shop.yaml"),
        new("selected by label", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: shop:1.0\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchExpressions:\n      - key: app\n        operator: In\n        values: [web, api]\n", false, "shop.yaml"),
    ];

    /// <summary>Cilium policies select with spec.endpointSelector, or with each item of specs.</summary>
    private static bool CiliumSelects(ManifestDocument policy, IReadOnlyDictionary<string, string> labels)
    {
        var selectors = new List<YamlMap>();
        if (policy.Root.Mapping("spec")?.Mapping("endpointSelector") is { } one)
            selectors.Add(one);
        foreach (var (_, spec) in policy.Root.Sequence("specs").Mappings())
        {
            if (spec.Mapping("endpointSelector") is { } selector)
                selectors.Add(selector);
        }
        return selectors.Any(s => NamespaceModel.Selects(s, labels));
    }

    public override void CheckRepository(AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var workload in context.Workloads)
        {
            var labels = workload.PodLabels;
            var ns = workload.Namespace;
            bool selected = context.OfKind("NetworkPolicy", ns).Any(p => p.Root.Mapping("spec") is { } spec
                && spec.Child("podSelector") is YamlMap selector && NamespaceModel.Selects(selector, labels))
                || context.OfKind("CiliumNetworkPolicy", ns).Any(p => CiliumSelects(p, labels))
                || context.OfKind("CiliumClusterwideNetworkPolicy").Any(p => CiliumSelects(p, labels));
            if (!selected)
                sink.Report(workload.Site, workload.TemplateMetadataPosition, workload.TemplateMetadataPath,
                    $"{workload.Kind} {workload.Name}: no NetworkPolicy in {ns ?? "its namespace"} selects its pods");
        }
    }
}
