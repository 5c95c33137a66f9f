using Keyward.Manifests.Yaml;

namespace Keyward.Manifests;

/// <summary>Where a workload keeps its pod template: the spec, its field path and the template's metadata.</summary>
public sealed record PodSpecLocation(ManifestDocument Document, YamlMap Spec, string Path, YamlMap? TemplateMetadata)
{
    internal ContainerLocation[]? AllContainers { get; set; }
}

/// <summary>One container of a pod spec with its field path (<c>spec.template.spec.containers[0]</c>).</summary>
/// <remarks><see cref="IsInit"/> is true for ephemeral containers too: neither is one of the pod's main containers.</remarks>
public sealed record ContainerLocation(PodSpecLocation Pod, YamlMap Container, string Path, bool IsInit)
{
    public string Name => Container.Scalar("name") ?? "?";

    /// <summary>A debugging container added to a running pod (<c>kubectl debug</c>).</summary>
    public bool IsEphemeral => Path.Contains(".ephemeralContainers[", StringComparison.Ordinal);
}

/// <summary>Finds the pod spec of every kind that runs pods, so workload rules read Pods, Deployments and CronJobs alike.</summary>
public static class Workloads
{
    private static readonly HashSet<string> TemplateKinds = new(StringComparer.Ordinal)
    {
        "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController", "DeploymentConfig",
        "Rollout", // Argo Rollouts: a Deployment's template (one that points at a Deployment with workloadRef has none)
    };

    public static bool IsWorkload(ManifestDocument document) => FindPodSpec(document) is not null;

    public static PodSpecLocation? FindPodSpec(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.PodSpecCache is { Known: true } cached)
            return cached.Pod;
        var pod = Locate(document);
        document.PodSpecCache = (true, pod);
        return pod;
    }

    private static PodSpecLocation? Locate(ManifestDocument document)
    {
        var root = document.Root;
        switch (document.Kind)
        {
            case "Pod":
                return root.Mapping("spec") is { } podSpec ? new PodSpecLocation(document, podSpec, "spec", root.Mapping("metadata")) : null;
            case "PodTemplate":
                var podTemplate = root.Mapping("template");
                return podTemplate?.Mapping("spec") is { } templateSpec ? new PodSpecLocation(document, templateSpec, "template.spec", podTemplate.Mapping("metadata")) : null;
            case "CronJob":
                var jobTemplate = root.Mapping("spec")?.Mapping("jobTemplate")?.Mapping("spec")?.Mapping("template");
                return jobTemplate?.Mapping("spec") is { } cronSpec
                    ? new PodSpecLocation(document, cronSpec, "spec.jobTemplate.spec.template.spec", jobTemplate.Mapping("metadata"))
                    : null;
            case { } kind when TemplateKinds.Contains(kind):
                var template = root.Mapping("spec")?.Mapping("template");
                return template?.Mapping("spec") is { } spec ? new PodSpecLocation(document, spec, "spec.template.spec", template.Mapping("metadata")) : null;
            default:
                return null;
        }
    }

    /// <summary>Containers, then (unless <paramref name="includeInit"/> is false) init containers, then ephemeral containers.</summary>
    public static IReadOnlyList<ContainerLocation> Containers(PodSpecLocation pod, bool includeInit = true)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var all = pod.AllContainers ??= ListContainers(pod);
        if (includeInit)
            return all;
        int main = 0;
        while (main < all.Length && !all[main].IsInit)
            main++;
        return new ArraySegment<ContainerLocation>(all, 0, main);
    }

    private static ContainerLocation[] ListContainers(PodSpecLocation pod)
    {
        var list = new List<ContainerLocation>();
        foreach (var (i, c) in pod.Spec.Sequence("containers").Mappings())
            list.Add(new ContainerLocation(pod, c, $"{pod.Path}.containers[{i}]", false));
        foreach (var (i, c) in pod.Spec.Sequence("initContainers").Mappings())
            list.Add(new ContainerLocation(pod, c, $"{pod.Path}.initContainers[{i}]", true));
        foreach (var (i, c) in pod.Spec.Sequence("ephemeralContainers").Mappings())
            list.Add(new ContainerLocation(pod, c, $"{pod.Path}.ephemeralContainers[{i}]", true));
        return [.. list];
    }

    /// <summary>The pod labels (template labels for controllers, own labels for a Pod).</summary>
    public static IReadOnlyDictionary<string, string> PodLabels(PodSpecLocation pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pod.TemplateMetadata?.Mapping("labels").Entries() ?? [])
        {
            if (v is YamlScalar s)
                labels[k.Value] = s.Value;
        }
        return labels;
    }
}
