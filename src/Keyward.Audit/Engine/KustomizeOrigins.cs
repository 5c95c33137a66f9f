using System.Text;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Where kustomize says a rendered object came from: a resource file, or the kustomization whose generator made it
/// (<see cref="Generator"/> is then the generator's kind, e.g. <c>ConfigMapGenerator</c>). <see cref="File"/> is a
/// full path.
/// </summary>
internal sealed record KustomizeOrigin(string File, string? Generator);

/// <summary>
/// Reads and removes the <c>config.kubernetes.io/origin</c> annotations of rendered output. They are ours, not the
/// user's: rules, excerpts and fingerprints must see the objects exactly as a plain <c>kubectl kustomize</c> renders
/// them, so the annotation's lines are cut from the text before anything parses it.
/// </summary>
internal static class KustomizeOrigins
{
    public const string Annotation = "config.kubernetes.io/origin";

    /// <summary>
    /// The output without origin annotations (and without an <c>annotations:</c> key they leave empty), and each
    /// document's origin in document order (null when it has none or it names no local file). Null when the output
    /// cannot be read or is not laid out as kubectl lays it out (one annotation per line, block style).
    /// </summary>
    public static (string Text, IReadOnlyList<KustomizeOrigin?> Origins)? Strip(string output, string overlay)
    {
        var (documents, error) = YamlDocuments.Read(output);
        if (error is not null)
            return null;
        var lines = output.Split('\n');
        var cut = new bool[lines.Length + 1];
        var origins = new List<KustomizeOrigin?>(documents.Count);
        foreach (var document in documents)
        {
            var metadata = document.Mapping("metadata");
            var annotations = metadata?.Mapping("annotations");
            int index = annotations?.IndexOf(Annotation) ?? -1;
            if (index < 0)
            {
                origins.Add(null);
                continue;
            }
            var key = annotations!.KeyAt(index);
            var annotationsKey = metadata!.KeyNode("annotations")!;
            if (key.Line <= annotationsKey.Line)
                return null; // flow style: not kubectl's layout, and lines cannot be cut
            origins.Add(Parse((annotations.ValueAt(index) as YamlScalar)?.Value, overlay));
            int first = annotations.Count == 1 ? annotationsKey.Line : key.Line;
            int last = key.Line;
            // The value's lines are the ones indented deeper than its key (blank lines inside a literal block too).
            while (last < lines.Length && (lines[last].Trim().Length == 0 || Indent(lines[last]) >= key.Column))
                last++;
            while (last > key.Line && lines[last - 1].Trim().Length == 0)
                last--;
            for (int line = first; line <= last; line++)
                cut[line] = true;
        }
        var text = new StringBuilder(output.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            if (cut[i + 1])
                continue;
            text.Append(lines[i]);
            if (i < lines.Length - 1)
                text.Append('\n');
        }
        var stripped = text.ToString();
        return stripped.Contains(Annotation, StringComparison.Ordinal) ? null : (stripped, origins);
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    /// <summary>
    /// The annotation's value is YAML: <c>path: ../x/base/dep.yaml</c> for an object from a file, or
    /// <c>configuredIn: ../x/kustomization.yaml</c> and <c>configuredBy: {kind: ConfigMapGenerator}</c> for a
    /// generated one. Paths are relative to the overlay; a <c>repo</c> means a remote base, which has no local file.
    /// </summary>
    internal static KustomizeOrigin? Parse(string? value, string overlay)
    {
        if (value is null)
            return null;
        var (documents, error) = YamlDocuments.Read(value);
        if (error is not null || documents.Count != 1 || documents[0] is not YamlMap origin || origin.Child("repo") is not null)
            return null;
        if (origin.Scalar("path") is { Length: > 0 } path)
            return new KustomizeOrigin(Path.GetFullPath(Path.Combine(overlay, path)), null);
        if (origin.Scalar("configuredIn") is { Length: > 0 } configuredIn)
            return new KustomizeOrigin(Path.GetFullPath(Path.Combine(overlay, configuredIn)), origin.Mapping("configuredBy")?.Scalar("kind") ?? "");
        return null;
    }
}
