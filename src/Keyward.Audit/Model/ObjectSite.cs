using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// What a finding needs to know about the object it is in: the file, the object (null for a document with no
/// kind) and its <c>keyward.io/ignore</c> annotations. Taken from a document when it is read, so the engine can
/// drop the document's tree and still report on it later (cross-object rules, text findings inside it).
/// </summary>
public sealed record ObjectSite(string File, ObjectReference? Resource, IReadOnlyList<string> IgnoreAnnotations, SourcePosition Start)
{
    public static ObjectSite Of(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new ObjectSite(document.File, document.Kind is null ? null : document.Reference, Suppressions.AnnotationsOf(document), document.Start);
    }
}

/// <summary>A workload as the cross-object rules see it once its tree is gone: namespace, pod labels and where to point.</summary>
public sealed record WorkloadSummary(
    ObjectSite Site,
    string? Kind,
    string? Name,
    string? Namespace,
    IReadOnlyDictionary<string, string> PodLabels,
    SourcePosition NamespacePosition,
    SourcePosition TemplateMetadataPosition,
    string TemplateMetadataPath)
{
    public static WorkloadSummary? Of(ManifestDocument document, ObjectSite site)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(site);
        if (Workloads.FindPodSpec(document) is not { } pod)
            return null;
        var root = document.Root;
        return new WorkloadSummary(
            site,
            document.Kind,
            document.Reference.Name,
            document.Reference.Namespace,
            Workloads.PodLabels(pod),
            (root.Mapping("metadata")?.Child("namespace") ?? root).Position,
            (pod.TemplateMetadata ?? (Manifests.Yaml.YamlValue)root).Position,
            pod.TemplateMetadata is null ? "metadata" : pod.Path[..^4] + "metadata");
    }
}
