using System.Text.RegularExpressions;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Finds the kustomization entry that set a field through a built-in transformer, for the fields rules report on: a
/// container's <c>image</c> (the <c>images</c> entry's <c>digest</c>, <c>newTag</c> or <c>newName</c>),
/// <c>metadata.namespace</c> (the <c>namespace</c> field) and an annotation (its <c>commonAnnotations</c> entry).
/// Without it, an overlay's <c>newTag: latest</c> was reported at the base's pinned image line.
/// </summary>
internal sealed partial class KustomizeTransformers(KustomizePatches builds, Func<string, (SourceText Text, IReadOnlyList<YamlValue> Documents)?> load)
{
    [GeneratedRegex(@"(^|\.)(containers|initContainers|ephemeralContainers)\[\d+\]\.image$")]
    private static partial Regex ImageField();

    /// <summary>
    /// The node of the last kustomization on the way to the source that sets <paramref name="fieldPath"/>, its file, and
    /// whether it holds the whole rendered value; null when no transformer sets that field.
    /// </summary>
    public (SourceText File, YamlValue Node, bool Exact)? Find(string folder, string sourceFile, YamlMap rendered, YamlMap source, string fieldPath)
    {
        const string Annotations = "metadata.annotations.";
        bool image = ImageField().IsMatch(fieldPath);
        var annotation = fieldPath.StartsWith(Annotations, StringComparison.Ordinal) ? fieldPath[Annotations.Length..] : null;
        if (!image && annotation is null && fieldPath != "metadata.namespace")
            return null;
        var renderedValue = (KustomizeFieldPath.WalkAll(rendered, rendered, fieldPath).Node as YamlScalar)?.Value;
        var (sourceNode, reached, _) = KustomizeFieldPath.WalkAll(rendered, source, fieldPath);
        var sourceValue = reached ? (sourceNode as YamlScalar)?.Value : null;
        (SourceText, YamlValue, bool)? found = null;
        foreach (var path in builds.Kustomizations(folder, sourceFile))
        {
            if (load(path) is not { Documents: [YamlMap kustomization, ..] } loaded)
                continue;
            if (annotation is not null)
            {
                if (kustomization.Mapping("commonAnnotations")?.Child(annotation) is YamlScalar value)
                    found = (loaded.Text, value, value.Value == renderedValue);
                continue;
            }
            if (!image)
            {
                if (kustomization.Child("namespace") is YamlScalar { Value.Length: > 0 } ns)
                    found = (loaded.Text, ns, ns.Value == renderedValue);
                continue;
            }
            foreach (var (_, entry) in kustomization.Sequence("images").Mappings())
            {
                if (entry.Scalar("name") is not { Length: > 0 } name)
                    continue;
                // An entry names the image as it is at that level: the source's, or (after a rename) the rendered one.
                if (name != ImageName(sourceValue) && (entry.Scalar("newName") ?? name) != ImageName(renderedValue))
                    continue;
                var node = entry.Child("digest") ?? entry.Child("newTag") ?? entry.Child("newName");
                if (node is not null)
                    found = (loaded.Text, node, false);
            }
        }
        return found;
    }

    /// <summary>An image reference without its tag and digest (<c>registry:5000/team/app:1.2@sha256:...</c> is <c>registry:5000/team/app</c>).</summary>
    internal static string? ImageName(string? image)
    {
        if (image is null)
            return null;
        int at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? image : image[..at];
        int colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}
