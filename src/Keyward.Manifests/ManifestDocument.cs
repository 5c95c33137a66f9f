using Keyward.Manifests.Yaml;

namespace Keyward.Manifests;

/// <summary>A 1-based line and column in a source file.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>Which Kubernetes object a document is: what findings, sealing and rotation refer to.</summary>
public sealed record ObjectReference(string? ApiVersion, string? Kind, string? Namespace, string? Name)
{
    public override string ToString() => $"{Kind ?? "?"}/{(Namespace is null ? "" : Namespace + "/")}{Name ?? "?"}";
}

/// <summary>
/// One Kubernetes object from a manifest file: its YAML tree (with positions, so every node can be reported
/// at its line and column) and its identity. Items of a <c>List</c> kind are separate documents.
/// </summary>
public sealed class ManifestDocument
{
    public ManifestDocument(string file, int documentIndex, YamlMap root)
    {
        File = file;
        DocumentIndex = documentIndex;
        Root = root;
        var metadata = root.Child("metadata") as YamlMap;
        Reference = new ObjectReference(root.Scalar("apiVersion"), root.Scalar("kind"), metadata?.Scalar("namespace"), metadata?.Scalar("name"));
    }

    public string File { get; }

    /// <summary>0-based index of the YAML document in its file.</summary>
    public int DocumentIndex { get; }

    public YamlMap Root { get; }

    public ObjectReference Reference { get; }

    public string? Kind => Reference.Kind;

    public SourcePosition Start => Root.Position;

    /// <summary>
    /// <see cref="Workloads.FindPodSpec"/>'s answer, computed once: a dozen rules ask it of every document, and the
    /// container list with its field paths would otherwise be rebuilt for each of them.
    /// </summary>
    internal (bool Known, PodSpecLocation? Pod) PodSpecCache { get; set; }

    public override string ToString() => $"{File}:{Start} {Reference}";
}

/// <summary>A document that could not be parsed: reported with its position, and the scan goes on.</summary>
public sealed record ManifestParseError(string File, SourcePosition Position, string Message);
