using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Hardening;

/// <summary>hostPID, hostIPC, hostNetwork.</summary>
public sealed class HostNamespacesRule : PodCheck
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW407";
    public override string Name => "host-namespaces";
    public override string Title => "Pod shares the host's namespaces";
    public override Severity Severity => Severity.High;
    public override string Why => "hostPID shows and lets the pod signal every process of the node, hostIPC shares its memory segments, hostNetwork its interfaces and localhost services (kubelet, metadata endpoints).";
    public override string Fix => "Remove hostPID, hostIPC and hostNetwork; node agents that need them belong in a dedicated, tightly controlled namespace.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("hostNetwork and hostPID", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: monitoring\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      hostPID: true\n      containers:\n        - name: agent\n          image: agent:1.0\n", true),
        new("hostNetwork: on (YAML 1.1's true, as kubectl reads it)", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\n  namespace: monitoring\nspec:\n  hostNetwork: on\n  containers:\n    - name: probe\n      image: probe:1.0\n", true),
        new("no host namespaces", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  hostNetwork: false\n  containers:\n    - name: app\n      image: shop:1.0\n", false),
    ];

    protected override void Check(PodSpecLocation pod, AuditContext context, FindingSink sink)
    {
        foreach (var field in new[] { "hostPID", "hostIPC", "hostNetwork" })
        {
            if (pod.Spec.Bool(field) == true)
                sink.Report(pod.Document, pod.Spec.Child(field), $"{pod.Path}.{field}", $"{pod.Document.Kind} {pod.Document.Reference.Name} sets {field}: true");
        }
    }
}

/// <summary>hostPath volumes; the container runtime socket and system folders are critical.</summary>
public sealed class HostPathRule : PodCheck
{
    public override bool ChecksEachFileAlone => true;

    private static readonly string[] Critical = ["/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd", "/var/run/crio", "/var/lib/kubelet", "/etc", "/root", "/proc", "/sys", "/"];

    public override string Id => "KW408";
    public override string Name => "host-path-volume";
    public override string Title => "hostPath volume";
    public override Severity Severity => Severity.High;
    public override string Why => "A hostPath volume exposes the node's filesystem to the pod: the container runtime socket, kubelet credentials or /etc mean control of the node.";
    public override string Fix => "Use emptyDir, a PersistentVolumeClaim, a ConfigMap or a CSI volume instead; if a node agent truly needs a host path, mount it readOnly and narrow it.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("the Docker socket", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: builder\n  namespace: ci\nspec:\n  containers:\n    - name: builder\n      image: docker:27\n  volumes:\n    - name: sock\n      hostPath:\n        path: /var/run/docker.sock\n", true),
        new("an emptyDir", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n    - name: app\n      image: shop:1.0\n  volumes:\n    - name: tmp\n      emptyDir: {}\n", false),
    ];

    protected override void Check(PodSpecLocation pod, AuditContext context, FindingSink sink)
    {
        foreach (var (i, volume) in pod.Spec.Sequence("volumes").Mappings())
        {
            if (volume.Mapping("hostPath") is not { } hostPath)
                continue;
            var path = hostPath.Scalar("path") ?? "";
            var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
            bool critical = Critical.Any(c => trimmed == c || (c != "/" && trimmed.StartsWith(c + "/", StringComparison.Ordinal)));
            sink.Report(pod.Document, hostPath.Child("path") ?? hostPath, $"{pod.Path}.volumes[{i}].hostPath.path",
                $"volume {volume.Scalar("name")} mounts host path {path}", critical ? Severity.Critical : null);
        }
    }
}
