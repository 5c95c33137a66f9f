using System.IO.Enumeration;
using System.Text;
using Keyward.Core;

namespace Keyward.Audit;

/// <summary>
/// What an audit reads: files and folders (manifests are parsed, every text file is scanned for credentials),
/// stdin, kustomize folders rendered with <c>kubectl kustomize</c>, and Git history (see <see cref="GitHistory"/>).
/// </summary>
public sealed class AuditInputs : IDisposable
{
    public const long DefaultMaxFileBytes = 10 * 1024 * 1024;
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "node_modules", ".terraform", "bin", "obj" };
    private static readonly HashSet<string> SkippedFiles = new(StringComparer.Ordinal) { ".keyward.yaml", ".keyward-baseline.json" };

    private readonly List<Func<IEnumerable<SourceText>>> _streams = [];
    private readonly List<KustomizeSourceMap> _kustomizeMaps = [];
    private readonly List<IDisposable> _owned = [];

    public List<SourceText> Texts { get; } = [];

    public AuditStats Stats { get; } = new();

    /// <summary>Folder that displayed paths are relative to (default: the current directory).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>Render folders that hold a kustomization.yaml with kubectl when it is installed.</summary>
    public bool RenderKustomize { get; init; } = true;

    /// <summary>The kubectl to run (tests point it elsewhere to simulate its absence).</summary>
    public string Kubectl { get; init; } = "kubectl";

    /// <summary>Where the temporary kustomize overlay is made (and removed at once); tests point it at their own folder.</summary>
    public string TempDirectory { get; init; } = Path.GetTempPath();

    public static bool IsManifest(SourceText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.IsManifestInput;
    }

    /// <summary>.yaml, .yml or .json, in any case.</summary>
    public static bool HasManifestExtension(string path) => ManifestExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>False for rendered output: its files were scanned as text already.</summary>
    public static bool IsTextScanned(SourceText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return !text.IsDocumentsOnly;
    }

    public void AddText(SourceText text, bool manifest) => Texts.Add(Scanned(text, manifest));

    /// <summary>Marks a text scanned (and parsed, if a manifest) and counts it.</summary>
    internal SourceText Scanned(SourceText text, bool manifest)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.IsManifestInput = manifest;
        Stats.FilesScanned++;
        return text;
    }

    /// <summary>
    /// Texts made while the audit runs (Git history, commit by commit), checked after the files; the producer runs on
    /// the parse-ahead thread.
    /// </summary>
    internal void AddStream(Func<IEnumerable<SourceText>> produce) => _streams.Add(produce);

    /// <summary>Every text in the order the audit checks them: files, stdin and rendered output, then the streams.</summary>
    internal IEnumerable<SourceText> Sequence()
    {
        foreach (var text in Texts)
            yield return text;
        foreach (var produce in _streams)
        {
            foreach (var text in produce())
                yield return text;
        }
    }

    /// <summary>Something the inputs need until the audit's findings are reported (a git process reading blobs).</summary>
    internal T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    /// <summary>Ends what reading the inputs started (git processes). Findings already made keep their excerpts.</summary>
    public void Dispose()
    {
        foreach (var resource in _owned)
            resource.Dispose();
        _owned.Clear();
    }

    /// <summary>
    /// A manifest whose documents the rules check but whose text the text rules do not scan (rendered output, whose
    /// files were scanned already; a file from history whose added lines were).
    /// </summary>
    internal void AddDocumentsOnly(SourceText text) => Texts.Add(DocumentsOnly(text));

    /// <summary>Marks a text as <see cref="AddDocumentsOnly"/> does. Not counted as a file scanned: its lines are counted where they were scanned as text.</summary>
    internal static SourceText DocumentsOnly(SourceText text)
    {
        text.IsManifestInput = true;
        text.IsDocumentsOnly = true;
        return text;
    }

    /// <summary>Reads rendered manifests (e.g. <c>helm template</c> output) from a stream.</summary>
    public void AddStdin(Stream stdin, string name = "<stdin>")
    {
        using var reader = new StreamReader(stdin, Encoding.UTF8, true, 1 << 16, leaveOpen: true);
        AddText(new SourceText(name, reader.ReadToEnd()), manifest: true);
    }

    public void AddPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            if (UnixFileType.IsSpecial(path))
                AddStream(path);
            else
                AddFile(path);
        }
        else if (Directory.Exists(path))
            AddFolder(path);
        else
            throw new KeywardException($"\"{path}\" does not exist", "give files or folders to audit, or - for stdin", FailureKind.Usage);
    }

    /// <summary>
    /// A pipe, device or socket named on the command line (bash's <c>&lt;(helm template .)</c> gives /dev/fd/63): read
    /// once to its end, as stdin is, under the name given; it cannot be opened a second time for the same text.
    /// </summary>
    private void AddStream(string path)
    {
        if (!_added.Add(path))
            return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        AddStdin(stream, path);
    }

    /// <summary>Files and rendered kustomize folders already added (full paths): a path given twice, or a file and its folder, is audited once.</summary>
    private readonly HashSet<string> _added = new(StringComparer.Ordinal);

    private void AddFolder(string folder)
    {
        bool kustomize = RenderKustomize && KustomizePatches.KustomizationFile(folder) is not null;
        if (kustomize && !_added.Add(Path.GetFullPath(folder) + Path.DirectorySeparatorChar))
            return;
        if (kustomize && TryRenderKustomize(folder))
        {
            // Rendered: the folder's files are still scanned as text (credentials, comments) but not as manifests.
            foreach (var file in Walk(folder))
                AddFile(file.Path, manifest: false, file.Length);
            return;
        }
        var entries = Entries(folder);
        foreach (var sub in entries.Where(e => e.IsFolder))
            AddFolder(sub.Path);
        foreach (var file in entries.Where(e => e.IsFile))
            AddFile(file.Path, manifest: null, file.Length);
    }

    private static IEnumerable<Entry> Walk(string folder)
    {
        var entries = Entries(folder);
        foreach (var file in entries.Where(e => e.IsFile))
            yield return file;
        foreach (var sub in entries.Where(e => e.IsFolder))
        {
            foreach (var file in Walk(sub.Path))
                yield return file;
        }
    }

    /// <summary>
    /// A folder's entries by name (ordinal), each a folder to walk, a file to read (with its length) or neither (a
    /// skipped name, a link, a FIFO), from what the listing itself tells. Asking per path costs two or three system
    /// calls a file, a tenth of an audit of many small files.
    /// </summary>
    /// <remarks>
    /// A symbolic link met while walking a folder is not followed, as git and ripgrep do not: a link to a folder
    /// above it would loop, and a link to a file inside the repository would report its findings twice. A link
    /// named on the command line is followed.
    /// </remarks>
    private static List<Entry> Entries(string folder)
    {
        var entries = new FileSystemEnumerable<Entry>(folder, static (ref FileSystemEntry e) =>
        {
            var name = e.FileName.ToString();
            var path = e.ToSpecifiedFullPath();
            if ((e.Attributes & FileAttributes.ReparsePoint) != 0)
                return new Entry(path, name, IsFolder: false, IsFile: false, 0);
            if (e.IsDirectory)
                return new Entry(path, name, IsFolder: !SkippedFolders.Contains(name), IsFile: false, 0);
            long length = e.Length;
            // A FIFO, socket or device (all of length 0) is no file of the repository, and reading a FIFO would wait
            // for a writer forever: skipped, as git and ripgrep skip them.
            bool file = !SkippedFiles.Contains(name) && (length > 0 || !UnixFileType.IsSpecial(path));
            return new Entry(path, name, IsFolder: false, file, length);
        }, Listing).ToList();
        entries.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    /// <summary>Every entry, hidden ones too (.sops.yaml, .env), and an unreadable folder is an error, as Directory.EnumerateFiles has it.</summary>
    private static readonly EnumerationOptions Listing = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    /// <summary>A class, not a struct: the framework's precompiled shared code serves a listing of references.</summary>
    private sealed record Entry(string Path, string Name, bool IsFolder, bool IsFile, long Length);

    /// <param name="length">The file's length when the folder listing gave it.</param>
    private void AddFile(string path, bool? manifest = null, long? length = null)
    {
        if (!_added.Add(Path.GetFullPath(path)))
            return;
        if ((length ?? new FileInfo(path).Length) > MaxFileBytes)
        {
            Stats.SkippedLarge++;
            return;
        }
        // Read when the audit gets to it, on the parse-ahead thread, and let go of once checked. A binary file is
        // found then, from the bytes read, and uncounted (see Auditor.Run).
        var text = SourceText.OnDisk(Display(path), path);
        text.IsManifestInput = manifest ?? HasManifestExtension(path);
        Texts.Add(text);
        Stats.FilesScanned++;
    }

    public string Display(string path)
    {
        var relative = Path.GetRelativePath(BaseDirectory, Path.GetFullPath(path));
        // Forward slashes everywhere; on Unix a backslash is part of a file name, not a separator.
        return Path.DirectorySeparatorChar == '\\' ? relative.Replace('\\', '/') : relative;
    }

    private bool TryRenderKustomize(string folder)
    {
        var display = Display(folder).TrimEnd('/');
        var outcome = KustomizeRender.RunWithOrigins(Kubectl, folder, TempDirectory, out var overlay);
        if (outcome.Output is { } output && KustomizeOrigins.Strip(output, overlay) is { } stripped)
        {
            var rendered = AddRendered(display, stripped.Text);
            // Which file each object came from, for the rules that count files rather than objects (KW910).
            rendered.DocumentSources = [.. stripped.Origins.Select(o => o is { Generator: null } && File.Exists(o.File) ? Display(o.File) : null)];
            _kustomizeMaps.Add(new KustomizeSourceMap(rendered, stripped.Origins, Path.GetFullPath(folder), Display));
            int untraced = stripped.Origins.Count(o => o is null || !File.Exists(o.File));
            if (untraced == 0)
                NoteRendered(display);
            else
                Stats.Notices.Add($"{display}: rendered with kubectl kustomize; positions refer to the source files, except for {untraced} object{(untraced == 1 ? "" : "s")} with no local source, which refer to its output");
            return true;
        }
        if (outcome.Output is null && outcome.Error is null)
        {
            Stats.Notices.Add($"{display}: kubectl is not available; the kustomize folder is scanned file by file");
            return false;
        }
        // The overlay can fail where a plain render works (a kubectl too old for buildMetadata): render as before.
        outcome = KustomizeRender.Run(Kubectl, folder);
        if (outcome.Output is null)
        {
            if (outcome.Error is not null)
                Stats.Notices.Add($"{display}: kubectl kustomize failed ({outcome.Error}); scanned file by file");
            return false;
        }
        AddRendered(display, outcome.Output);
        Stats.Notices.Add($"{display}: rendered with kubectl kustomize; positions refer to its output");
        return true;
    }

    /// <summary>
    /// One note for all the folders rendered without surprise, however many: a repository of twenty apps said the same
    /// line twenty times around its findings.
    /// </summary>
    private void NoteRendered(string display)
    {
        _renderedFolders.Add(display);
        int n = _renderedFolders.Count;
        var names = string.Join(", ", _renderedFolders.Take(3)) + (n > 3 ? $" and {n - 3} more" : "");
        var note = n == 1
            ? $"{display}: rendered with kubectl kustomize; positions refer to the source files"
            : $"{n} kustomize folders ({names}) rendered with kubectl kustomize; positions refer to the source files";
        if (_renderedNote < 0)
        {
            _renderedNote = Stats.Notices.Count;
            Stats.Notices.Add(note);
        }
        else
            Stats.Notices[_renderedNote] = note;
    }

    private readonly List<string> _renderedFolders = [];
    private int _renderedNote = -1;

    /// <summary>The name under the kustomize folder that its rendered output is reported as.</summary>
    internal const string RenderedName = "(kustomize build)";

    /// <summary>Rendered output is read as manifests only: the folder's files are scanned as text on their own.</summary>
    private SourceText AddRendered(string folder, string output)
    {
        var rendered = new SourceText(folder + "/" + RenderedName, output);
        AddDocumentsOnly(rendered);
        return rendered;
    }

    /// <summary>
    /// Findings on kustomize-rendered objects moved to the source files the objects came from (with the source's
    /// line for excerpts and inline suppressions). Fingerprints stay those of the rendered object, so baselines
    /// written before or after do not depend on where a base file lives.
    /// </summary>
    internal IReadOnlyList<Finding> MapToSources(IReadOnlyList<Finding> findings)
    {
        if (_kustomizeMaps.Count == 0)
            return findings;
        var maps = new Dictionary<string, KustomizeSourceMap>(StringComparer.Ordinal);
        foreach (var map in _kustomizeMaps)
            maps.TryAdd(map.RenderedFile, map); // a folder given twice renders to the same output
        var mapped = findings.ToArray();
        foreach (var group in Enumerable.Range(0, mapped.Length).Where(i => maps.ContainsKey(mapped[i].File)).GroupBy(i => mapped[i].File, StringComparer.Ordinal))
        {
            var moved = maps[group.Key].Map([.. group.Select(i => mapped[i])]);
            foreach (var (i, finding) in group.Zip(moved))
                mapped[i] = finding;
        }
        return mapped;
    }
}
