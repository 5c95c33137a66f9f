using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit;

/// <summary>
/// Finds the patch that set a field of a rendered object, so a finding on a field a patch added or changed points at
/// the patch rather than at the field's nearest parent in the base: strategic-merge patches and JSON6902 operations,
/// in files or inline in the kustomization (<c>patch: |</c>). The kustomizations searched are the audited folder's and
/// those of the local folders it builds on (<c>resources</c>, <c>bases</c>, <c>components</c>, recursively), plus the
/// one next to the object's source file. A patch's <c>target</c> is read as kustomize reads it
/// (<see cref="KustomizeTarget"/>).
/// </summary>
internal sealed class KustomizePatches
{
    private static readonly string[] KustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    private readonly Func<string, (SourceText Text, IReadOnlyList<YamlValue> Documents)?> _load;

    /// <summary>Patch files in the order kustomize applies them, by audited folder and source folder.</summary>
    private readonly Dictionary<string, IReadOnlyList<PatchFile>> _ordered = new(StringComparer.Ordinal);

    /// <summary>The kustomization files of a build, the deepest first, by audited folder and source folder.</summary>
    private readonly Dictionary<string, IReadOnlyList<string>> _kustomizations = new(StringComparer.Ordinal);

    /// <param name="load">Reads and parses a file (cached by the caller), null when it cannot be read or parsed.</param>
    public KustomizePatches(Func<string, (SourceText Text, IReadOnlyList<YamlValue> Documents)?> load) => _load = load;

    /// <summary>
    /// A patch named by a kustomization, with the entry's <c>target</c> when it has one: a file, or a string of the
    /// kustomization itself (<paramref name="Inline"/>, whose file is then <paramref name="Path"/>).
    /// </summary>
    private sealed record PatchFile(string Path, YamlMap? Target, YamlScalar? Inline = null);

    /// <summary>Inline patches parsed, by their node in the kustomization.</summary>
    private readonly Dictionary<YamlScalar, (SourceText Text, IReadOnlyList<YamlValue> Documents)?> _inline = [];

    /// <summary>
    /// The node the last patch that reaches <paramref name="fieldPath"/> on that object has there, its file, and whether
    /// it holds the rendered value; null when no searched patch sets that field.
    /// </summary>
    /// <param name="folder">The audited folder (full path).</param>
    /// <param name="sourceFile">The full path of the file the object came from.</param>
    /// <param name="sourceName">The object's name in that file, before any prefix or suffix.</param>
    public (SourceText File, YamlValue Node, bool Exact)? Find(string folder, string sourceFile, YamlMap rendered, string sourceName, string fieldPath)
    {
        var kind = rendered.Scalar("kind");
        var renderedName = rendered.Mapping("metadata")?.Scalar("name") ?? "";
        (SourceText, YamlValue, bool)? found = null;
        foreach (var patch in Ordered(folder, sourceFile))
        {
            if (!KustomizeTarget.Selects(patch.Target, rendered, sourceName) || Documents(patch) is not { } loaded)
                continue;
            foreach (var candidate in loaded.Documents)
            {
                // JSON6902 operations are a list and need a target; a strategic-merge patch is a map that names its object.
                if (KustomizeJson6902.IsOperations(candidate))
                {
                    if (patch.Target is not null && KustomizeJson6902.Find(rendered, (YamlList)candidate, fieldPath) is { } set)
                        found = (loaded.Text, set.Node, set.Exact);
                    continue;
                }
                if (candidate is not YamlMap document || document.Scalar("kind") != kind)
                    continue;
                var name = document.Mapping("metadata")?.Scalar("name");
                if (patch.Target is null && !KustomizeTarget.NameFits(name, sourceName, renderedName))
                    continue;
                var (node, reached, exact) = KustomizeFieldPath.WalkAll(rendered, document, fieldPath);
                if (reached)
                    found = (loaded.Text, node, exact); // a later patch is applied after, so its value is the one rendered
            }
        }
        return found;
    }

    private IReadOnlyList<PatchFile> Ordered(string folder, string sourceFile)
    {
        var key = folder + "\n" + Path.GetDirectoryName(sourceFile);
        if (_ordered.TryGetValue(key, out var cached))
            return cached;
        var patches = new List<PatchFile>();
        var kustomizations = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        // The source's own kustomization is the deepest one: its patches apply before any overlay's.
        var sourceFolder = Path.GetDirectoryName(sourceFile);
        if (sourceFolder is not null && !Reaches(folder, sourceFolder))
            Collect(sourceFolder, patches, visited, kustomizations);
        Collect(folder, patches, visited, kustomizations);
        _ordered[key] = patches;
        // Transformers of a kustomization apply to the objects of the folders it builds on, so only those on the way
        // from the audited folder down to the source count.
        _kustomizations[key] = sourceFolder is null ? kustomizations
            : [.. kustomizations.Where(k => Path.GetDirectoryName(k) is { } dir && (dir == Path.GetFullPath(sourceFolder) || Reaches(dir, sourceFolder)))];
        return patches;
    }

    /// <summary>
    /// The kustomization files whose transformers (<c>images</c>, <c>namespace</c>, <c>commonAnnotations</c>) apply
    /// to an object from <paramref name="sourceFile"/> built from <paramref name="folder"/>, in the order kustomize
    /// applies them.
    /// </summary>
    public IReadOnlyList<string> Kustomizations(string folder, string sourceFile)
    {
        Ordered(folder, sourceFile);
        return _kustomizations[folder + "\n" + Path.GetDirectoryName(sourceFile)];
    }

    /// <summary>Whether building <paramref name="folder"/> goes through <paramref name="target"/>.</summary>
    private bool Reaches(string folder, string target)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([Path.GetFullPath(folder)]);
        while (stack.TryPop(out var current))
        {
            if (!visited.Add(current))
                continue;
            if (current == Path.GetFullPath(target))
                return true;
            if (Kustomization(current) is { } kustomization)
                foreach (var next in LocalFolders(current, kustomization))
                    stack.Push(next);
        }
        return false;
    }

    /// <summary>
    /// The patch files of <paramref name="folder"/>'s build in the order kustomize applies them: the folders it builds
    /// on first (their own patches ran before), then its <c>patchesStrategicMerge</c>, then its <c>patches</c>.
    /// </summary>
    private void Collect(string folder, List<PatchFile> patches, HashSet<string> visited, List<string> kustomizations)
    {
        folder = Path.GetFullPath(folder);
        if (!visited.Add(folder) || Kustomization(folder) is not { } kustomization)
            return;
        foreach (var next in LocalFolders(folder, kustomization))
            Collect(next, patches, visited, kustomizations);
        var kustomizationFile = KustomizationFile(folder)!;
        kustomizations.Add(kustomizationFile);
        foreach (var entry in kustomization.Sequence("patchesStrategicMerge")?.Items ?? [])
        {
            // An entry is a file path, or an inline patch (several lines).
            if (entry is not YamlScalar { Value: var value } scalar)
                continue;
            if (value.Contains('\n', StringComparison.Ordinal))
                patches.Add(new PatchFile(kustomizationFile, null, scalar));
            else if (LocalFile(folder, value) is { } file)
                patches.Add(new PatchFile(file, null));
        }
        // kustomize applies patchesStrategicMerge, then patchesJson6902, then patches.
        foreach (var key in new[] { "patchesJson6902", "patches" })
        {
            foreach (var (_, entry) in kustomization.Sequence(key).Mappings())
            {
                if (entry.Scalar("path") is { Length: > 0 } path && LocalFile(folder, path) is { } file)
                    patches.Add(new PatchFile(file, entry.Mapping("target")));
                else if (entry.Child("patch") is YamlScalar { Value.Length: > 0 } inline)
                    patches.Add(new PatchFile(kustomizationFile, entry.Mapping("target"), inline));
            }
        }
    }

    /// <summary>
    /// A patch's documents: a file's, or an inline patch's with their positions moved to where its lines are in the
    /// kustomization (a literal block, <c>|</c>, keeps its lines as they are; any other style of string is pointed at
    /// as a whole).
    /// </summary>
    private (SourceText Text, IReadOnlyList<YamlValue> Documents)? Documents(PatchFile patch)
    {
        if (patch.Inline is not { } inline)
            return _load(patch.Path);
        if (_inline.TryGetValue(inline, out var cached))
            return cached;
        (SourceText, IReadOnlyList<YamlValue>)? result = null;
        if (_load(patch.Path) is { } kustomization && YamlDocuments.Read(inline.Value) is ({ } documents, null))
        {
            Func<YamlValue, (int Line, int Column)> place;
            if (inline.Style == ScalarStyle.Literal)
            {
                var (lines, columns) = BlockOffset(kustomization.Text, inline);
                place = n => (n.Line + lines, n.Column + columns);
            }
            else
            {
                place = _ => (inline.Line, inline.Column);
            }
            result = (kustomization.Text, [.. documents.Select(d => Moved(d, place))]);
        }
        _inline[inline] = result;
        return result;
    }

    /// <summary>
    /// How far a literal block's content lies from positions in the content alone: line 1 of the content is the line
    /// after the indicator, and every line is indented by the block's indentation.
    /// </summary>
    private static (int Lines, int Columns) BlockOffset(SourceText kustomization, YamlScalar block)
    {
        var content = block.Value.Split('\n');
        for (int i = 0; i < content.Length; i++)
        {
            if (content[i].Trim().Length == 0 || kustomization.FileLine(block.Line + 1 + i) is not { } line)
                continue;
            int indentation = (line.Length - line.TrimStart(' ').Length) - (content[i].Length - content[i].TrimStart(' ').Length);
            return (block.Line, Math.Max(0, indentation));
        }
        return (block.Line, 0);
    }

    /// <summary>A copy of a tree with every position placed anew (children included, so walking it finds placed nodes).</summary>
    private static YamlValue Moved(YamlValue node, Func<YamlValue, (int Line, int Column)> place)
    {
        var (line, column) = place(node);
        return node switch
        {
            YamlScalar s => new YamlScalar(s.Value, line, column, s.Style, s.Tag),
            YamlMap m => new YamlMap(
                [.. Enumerable.Range(0, m.Count).Select(i => (YamlScalar)Moved(m.KeyAt(i), place))],
                [.. Enumerable.Range(0, m.Count).Select(i => Moved(m.ValueAt(i), place))],
                line, column, m.Tag),
            YamlList l => new YamlList([.. l.Items.Select(i => Moved(i, place))], line, column, l.Tag),
            _ => node,
        };
    }

    private static IEnumerable<string> LocalFolders(string folder, YamlMap kustomization)
    {
        foreach (var key in new[] { "resources", "bases", "components" })
        {
            foreach (var entry in kustomization.Sequence(key)?.Items ?? [])
            {
                if (entry is not YamlScalar { Value.Length: > 0 } scalar || scalar.Value.Contains("://", StringComparison.Ordinal))
                    continue;
                var path = Path.GetFullPath(Path.Combine(folder, scalar.Value));
                if (Directory.Exists(path))
                    yield return path;
            }
        }
    }

    private static string? LocalFile(string folder, string path)
    {
        var full = Path.GetFullPath(Path.Combine(folder, path));
        return File.Exists(full) ? full : null;
    }

    private YamlMap? Kustomization(string folder) =>
        KustomizationFile(folder) is { } path && _load(path) is { Documents: [YamlMap map, ..] } ? map : null;

    /// <summary>The folder's kustomization file (any of the names kustomize reads), or null when it has none.</summary>
    internal static string? KustomizationFile(string folder)
    {
        foreach (var name in KustomizationNames)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
                return path;
        }
        return null;
    }
}
