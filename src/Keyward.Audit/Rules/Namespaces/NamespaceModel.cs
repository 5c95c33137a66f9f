using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Namespaces;

/// <summary>Namespaces that run workloads, with where to report about them, and NetworkPolicy selection.</summary>
internal static class NamespaceModel
{
    private static readonly HashSet<string> SystemNamespaces = new(StringComparer.Ordinal) { "kube-system", "kube-public", "kube-node-lease" };

    /// <summary>
    /// Namespaces (named explicitly) that hold workloads, with where to report: the Namespace object's name, else
    /// the first workload's metadata.namespace.
    /// </summary>
    public static IEnumerable<(string Namespace, ObjectSite At, SourcePosition Position, bool AtNamespaceObject)> WorkloadNamespaces(AuditContext context)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in context.Workloads)
        {
            var ns = workload.Namespace;
            if (ns is null || SystemNamespaces.Contains(ns) || !seen.Add(ns))
                continue;
            var nsObject = context.OfKind("Namespace").FirstOrDefault(n => n.Reference.Name == ns);
            if (nsObject is not null)
                yield return (ns, ObjectSite.Of(nsObject), (nsObject.Root.Mapping("metadata")?.Child("name") ?? nsObject.Root).Position, true);
            else
                yield return (ns, workload.Site, workload.NamespacePosition, false);
        }
    }

    public static IEnumerable<ManifestDocument> InNamespace(AuditContext context, string kind, string ns) =>
        context.OfKind(kind, ns);

    /// <summary>Does a label selector (matchLabels and matchExpressions) select these labels? An empty selector selects all.</summary>
    public static bool Selects(YamlMap? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
            return true;
        foreach (var (key, value) in selector.Mapping("matchLabels").Entries())
        {
            if (!labels.TryGetValue(key.Value, out var actual) || actual != (value as YamlScalar)?.Value)
                return false;
        }
        foreach (var (_, expression) in selector.Sequence("matchExpressions").Mappings())
        {
            var key = expression.Scalar("key") ?? "";
            var values = expression.Strings("values");
            bool has = labels.TryGetValue(key, out var actual);
            bool ok = expression.Scalar("operator") switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
                return false;
        }
        return true;
    }

    /// <summary>policyTypes, defaulting as the API server does (Ingress, plus Egress when egress rules exist).</summary>
    public static IReadOnlyList<string> PolicyTypes(ManifestDocument policy)
    {
        var spec = policy.Root.Mapping("spec");
        var explicitTypes = spec?.Strings("policyTypes") ?? [];
        if (explicitTypes.Count > 0)
            return explicitTypes;
        return spec?.Child("egress") is not null ? ["Ingress", "Egress"] : ["Ingress"];
    }
}
