using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Hardening;

/// <summary>Containers without CPU/memory requests or a memory limit.</summary>
public sealed class ResourceRequestsRule : ContainerCheck
{
    public override string Id => "KW501";
    public override string Name => "resource-requests-limits";
    public override string Title => "Missing resource requests or limits";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.Resources;
    public override string Why => "Without requests the scheduler overcommits nodes; without a memory limit one container can exhaust the node's memory and get its neighbours evicted (a denial of service from a single bug or attacker).";
    public override string Fix => "Set resources.requests.cpu, resources.requests.memory and resources.limits.memory (and limits.cpu if your policy requires it).";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("no resources", Pod(""), true),
        new("requests without a memory limit", Pod("      resources:\n        requests:\n          cpu: 100m\n          memory: 128Mi\n"), true),
        new("requests and a memory limit", Pod("      resources:\n        requests:\n          cpu: 100m\n          memory: 128Mi\n        limits:\n          memory: 256Mi\n"), false),
    ];

    protected override void Check(ContainerLocation container, AuditContext context, FindingSink sink)
    {
        var resources = container.Container.Mapping("resources");
        var missing = new List<string>();
        if (resources?.Mapping("requests")?.Scalar("cpu") is null)
            missing.Add("requests.cpu");
        if (resources?.Mapping("requests")?.Scalar("memory") is null)
            missing.Add("requests.memory");
        if (resources?.Mapping("limits")?.Scalar("memory") is null)
            missing.Add("limits.memory");
        if (missing.Count > 0)
            sink.Report(container.Pod.Document, (YamlValue?)resources ?? container.Container, $"{container.Path}.resources",
                $"{RuleHelpers.Describe(container)} has no {string.Join(", ", missing)}");
    }
}
