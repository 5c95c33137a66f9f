using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Moves findings on the objects of one rendered kustomize folder to the files the objects came from: the same field
/// path in the source document (as deep as it exists there) or in the strategic-merge patch that set the field, or the
/// generator entry of the kustomization that made the object. Objects without a known source keep their position in
/// the rendered output.
/// </summary>
internal sealed class KustomizeSourceMap
{
    private static readonly Dictionary<string, string> GeneratorKeys = new(StringComparer.Ordinal)
    {
        ["ConfigMapGenerator"] = "configMapGenerator",
        ["SecretGenerator"] = "secretGenerator",
    };

    private readonly SourceText _rendered;
    private readonly IReadOnlyList<KustomizeOrigin?> _origins;
    private readonly Func<string, string> _display;
    private readonly Dictionary<string, (SourceText Text, IReadOnlyList<YamlValue> Documents)?> _sources = new(StringComparer.Ordinal);
    private readonly KustomizePatches _patches;
    private readonly KustomizeTransformers _transformers;
    private readonly string _folder;

    /// <param name="rendered">The rendered output, without origin annotations.</param>
    /// <param name="origins">The origin of each of its documents, in order.</param>
    /// <param name="folder">The folder that was rendered (full path): its kustomization's patches are looked up.</param>
    /// <param name="display">Turns a full path into the path findings show.</param>
    public KustomizeSourceMap(SourceText rendered, IReadOnlyList<KustomizeOrigin?> origins, string folder, Func<string, string> display)
    {
        _rendered = rendered;
        _origins = origins;
        _folder = folder;
        _display = display;
        _patches = new KustomizePatches(Load);
        _transformers = new KustomizeTransformers(_patches, Load);
    }

    public string RenderedFile => _rendered.File;

    /// <summary>Findings on this rendered output, each moved to its source when it has a known one.</summary>
    public List<Finding> Map(IReadOnlyList<Finding> findings)
    {
        var mapped = new List<Finding>(findings.Count);
        // The rendered trees are read again only here, and only when the output has findings: the engine dropped its own.
        IReadOnlyList<YamlValue>? documents = null;
        foreach (var finding in findings)
        {
            if (finding.File != _rendered.File || finding.Commit is not null)
            {
                mapped.Add(finding);
                continue;
            }
            documents ??= YamlDocuments.Read(_rendered.Text).Documents;
            mapped.Add(documents.Count == _origins.Count ? MapOne(finding, documents) ?? finding : finding);
        }
        return mapped;
    }

    private Finding? MapOne(Finding finding, IReadOnlyList<YamlValue> documents)
    {
        int index = -1;
        for (int i = 0; i < documents.Count && documents[i].Line <= finding.Position.Line; i++)
            index = i;
        if (index < 0 || _origins[index] is not { } origin || documents[index] is not YamlMap rendered || Load(origin.File) is not { } source)
            return null;
        var kind = rendered.Scalar("kind");
        var name = rendered.Mapping("metadata")?.Scalar("name") ?? "";
        YamlValue? at;
        bool exact;
        var file = source.Text;
        if (origin.Generator is not null)
        {
            at = GeneratorEntry(source.Documents, origin.Generator, name);
            exact = at is not null;
            at ??= source.Documents.Count > 0 ? source.Documents[0] : null;
        }
        else
        {
            if (SourceDocument(source.Documents, kind, name) is not { } document)
                return null;
            (at, exact) = KustomizeFieldPath.Walk(rendered, document, finding.FieldPath);
            // A field a transformer (images, namespace, commonAnnotations) or a patch set or changed is pointed at where
            // it is set: transformers run after patches, and the last patch that sets a field gives the rendered value.
            if (!exact && !string.IsNullOrEmpty(finding.FieldPath))
            {
                if (_transformers.Find(_folder, origin.File, rendered, document, finding.FieldPath) is { } transformed)
                    (file, at, exact) = transformed;
                else if (_patches.Find(_folder, origin.File, rendered, document.Mapping("metadata")?.Scalar("name") ?? "", finding.FieldPath) is { } patched)
                    (file, at, exact) = patched;
            }
        }
        var position = at?.Position ?? new SourcePosition(1, 1);
        // A finding about a part of a value (a credential on the third line of a block scalar) points at that part in
        // the source too: at the value's start, it would be a second finding beside the source's own text scan.
        if (exact && at is YamlScalar scalar && finding.ValueOffset is { } offset && ScalarSource.PositionOf(file, scalar, offset) is { } inValue)
            position = inValue;
        return finding with
        {
            File = file.File,
            // The fingerprint keeps naming the rendered output: baselines from before source positions still match.
            IdentityFile = finding.IdentityFile ?? finding.File,
            Position = position,
            // A field a patch set or changed has no line of its own in the source; the nearest line may hold another
            // value, so a finding about a secret shows no excerpt rather than a value it is not about.
            SourceLine = finding.Secrets.Count > 0 && !exact ? null : file.FileLine(position.Line),
            Source = file,
        };
    }

    /// <summary>The document of that kind whose name the rendered name holds (a prefix or suffix may surround it).</summary>
    private static YamlMap? SourceDocument(IReadOnlyList<YamlValue> documents, string? kind, string renderedName)
    {
        var candidates = documents.OfType<YamlMap>().Where(d => d.Scalar("kind") == kind).ToList();
        var named = candidates
            .Select(d => (Document: d, Name: d.Mapping("metadata")?.Scalar("name")))
            .Where(d => d.Name is { Length: > 0 } n && renderedName.Contains(n, StringComparison.Ordinal))
            .OrderByDescending(d => d.Name == renderedName).ThenByDescending(d => d.Name!.Length)
            .Select(d => d.Document).FirstOrDefault();
        return named ?? (candidates.Count == 1 ? candidates[0] : null);
    }

    /// <summary>The <c>name</c> of the generator entry that made the object (the rendered name adds a hash, maybe a prefix).</summary>
    private static YamlScalar? GeneratorEntry(IReadOnlyList<YamlValue> documents, string generator, string renderedName)
    {
        if (!GeneratorKeys.TryGetValue(generator, out var key) || documents.Count == 0)
            return null;
        return documents[0].Sequence(key).Mappings()
            .Select(e => e.Item.Child("name") as YamlScalar)
            .Where(n => n is { Value.Length: > 0 } && renderedName.Contains(n.Value, StringComparison.Ordinal))
            .OrderByDescending(n => n!.Value.Length)
            .FirstOrDefault();
    }

    private (SourceText Text, IReadOnlyList<YamlValue> Documents)? Load(string path)
    {
        if (_sources.TryGetValue(path, out var cached))
            return cached;
        (SourceText, IReadOnlyList<YamlValue>)? loaded = null;
        try
        {
            var text = new SourceText(_display(path), TextFile.Decode(File.ReadAllBytes(path)));
            var (documents, error) = YamlDocuments.Read(text.Text);
            // A source kustomize could build from parses; if it does not, the rendered position is the honest one.
            if (error is null)
                loaded = (text, documents);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            loaded = null;
        }
        _sources[path] = loaded;
        return loaded;
    }
}
