using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules;

/// <summary>Small helpers shared by the manifest rules.</summary>
internal static class RuleHelpers
{
    /// <summary>A container's securityContext value, falling back to the pod's (where the field exists at pod level).</summary>
    public static (YamlValue? Node, string? Value, string Path) SecurityField(ContainerLocation container, string field, bool podLevel = true)
    {
        var own = container.Container.Mapping("securityContext");
        if (own?.Child(field) is { } node)
            return (node, (node as YamlScalar)?.Value, $"{container.Path}.securityContext.{field}");
        if (podLevel && container.Pod.Spec.Mapping("securityContext")?.Child(field) is { } podNode)
            return (podNode, (podNode as YamlScalar)?.Value, $"{container.Pod.Path}.securityContext.{field}");
        return (null, null, $"{container.Path}.securityContext.{field}");
    }

    /// <summary>A boolean field that is true as Kubernetes reads it (<c>yes</c> and <c>on</c> too: <see cref="YamlNavigation.AsBool"/>).</summary>
    public static bool IsTrue(YamlValue? node) => node.AsBool() == true;

    /// <summary>A boolean field that is false as Kubernetes reads it (<c>no</c> and <c>off</c> too).</summary>
    public static bool IsFalse(YamlValue? node) => node.AsBool() == false;

    public static string Describe(ContainerLocation c) => $"{(c.IsEphemeral ? "ephemeral container" : c.IsInit ? "init container" : "container")} \"{c.Name}\"";

    /// <summary>Object kinds that are Secrets by another name and are encrypted (SealedSecret) or references (ExternalSecret).</summary>
    public static bool IsWorkloadKind(ManifestDocument d) => Workloads.IsWorkload(d);
}
