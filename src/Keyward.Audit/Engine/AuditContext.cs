using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// Everything one audit sees: every manifest document and text file, with the indexes cross-object rules need
/// (roles by name, policies and quotas by namespace, which files are SOPS-encrypted).
/// </summary>
public sealed class AuditContext
{
    private readonly Dictionary<string, SourceText> _texts = new(StringComparer.Ordinal);
    private ILookup<string, ManifestDocument>? _byKind;

    public AuditContext(IEnumerable<ManifestDocument> documents, IEnumerable<SourceText> texts)
    {
        Documents = [.. documents];
        foreach (var t in texts)
            _texts[t.File] = t;
    }

    public IReadOnlyList<ManifestDocument> Documents { get; }

    public IEnumerable<SourceText> Texts => _texts.Values;

    /// <summary>Files that carry SOPS metadata (relative paths, forward slashes).</summary>
    public ISet<string> SopsFiles { get; } = new HashSet<string>(StringComparer.Ordinal);

    public SourceText? Text(string file) => _texts.GetValueOrDefault(file);

    public IEnumerable<ManifestDocument> OfKind(string kind) =>
        (_byKind ??= Documents.ToLookup(d => d.Kind ?? "", StringComparer.Ordinal))[kind];

    /// <summary>The namespace of a namespaced object; null when the manifest does not say (it lands in the kubectl context's).</summary>
    public static string? NamespaceOf(ManifestDocument document) => document?.Reference.Namespace;

    public ManifestDocument? FindRole(string kind, string? ns, string name) =>
        OfKind(kind).FirstOrDefault(r => r.Reference.Name == name && (kind == "ClusterRole" || r.Reference.Namespace == ns));
}
