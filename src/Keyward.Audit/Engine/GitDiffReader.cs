using System.Globalization;
using System.Text;

namespace Keyward.Audit;

/// <summary>
/// Turns the patch of <c>git log -p</c> or <c>git diff --cached</c> (run with <see cref="GitCommand.PatchOptions"/>)
/// into texts: the lines each file gained, with their line numbers; and, for a manifest an edit changed, the whole
/// file before and after, by blob id, for the document rules. A text file git shows as "Binary files differ" (a
/// <c>-diff</c> or <c>binary</c> attribute, often set on exactly the files that hold secrets) is read by blob id too.
/// </summary>
internal sealed class GitDiffReader
{
    public const string CommitMarker = "\u001eCOMMIT ";

    private readonly AuditInputs _inputs;
    private readonly string _repository;
    private readonly Lazy<GitBlobs> _blobs;
    private readonly StringBuilder _lines = new();
    private readonly List<int> _numbers = [];
    private readonly List<SourceText> _ready = [];
    private CommitInfo? _commit;
    private string? _file;
    private bool _created;
    private bool _merge;
    private (string Before, string After)? _ids;
    private string? _renamedTo;

    public GitDiffReader(AuditInputs inputs, string repository, Lazy<GitBlobs> blobs)
    {
        _inputs = inputs;
        _repository = repository;
        _blobs = blobs;
    }

    /// <summary>How many files the patch named (a deletion or a binary file too): none when nothing was staged.</summary>
    public int Files { get; private set; }

    public IEnumerable<SourceText> Read(TextReader reader)
    {
        int next = 0, oldLeft = 0, newLeft = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            // A hunk's lines are counted from its header, and only then is a line a header again: an added line
            // "++ x" reads "+++ x", a file header, to a reader that does not count.
            if ((oldLeft > 0 || newLeft > 0) && line.Length > 0 && line[0] is '+' or '-' or ' ')
            {
                if (line[0] != '-')
                {
                    newLeft--;
                    if (line[0] == '+' && _file is not null)
                    {
                        _lines.Append(line.AsSpan(1)).Append('\n');
                        _numbers.Add(next);
                    }
                    next++;
                }
                if (line[0] != '+')
                    oldLeft--; // a deleted line, or a context line (the options ask for none; counted all the same)
            }
            else if (line.StartsWith(CommitMarker, StringComparison.Ordinal))
            {
                Flush();
                var (header, parents) = line[CommitMarker.Length..].Split('\u001f', 2) is [var h, var p] ? (h, p) : (line[CommitMarker.Length..], "");
                var parts = header.Split(' ', 3);
                _commit = new CommitInfo(parts[0], DateTimeOffset.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length > 2 ? parts[2] : "");
                _merge = parents.Contains(' ', StringComparison.Ordinal);
                _inputs.Stats.Commits++;
            }
            else if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                Flush();
                Files++;
            }
            else if (line.StartsWith("index ", StringComparison.Ordinal))
                _ids = _merge ? null : BlobIds(line); // a merge's "before" is git's own merge, a blob that is never stored
            else if (line.StartsWith("--- ", StringComparison.Ordinal))
                _created = line == "--- /dev/null";
            else if (line.StartsWith("+++ ", StringComparison.Ordinal))
                _file = line == "+++ /dev/null" ? null : WithoutPrefix(DiffPath(line.AsSpan(4)));
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
                (next, oldLeft, newLeft) = Hunk(line);
            else if (line.StartsWith("rename to ", StringComparison.Ordinal))
                _renamedTo = DiffPath(line.AsSpan("rename to ".Length));
            else if (line.StartsWith("Binary files ", StringComparison.Ordinal) && line.EndsWith(" differ", StringComparison.Ordinal))
                ReadBinaryDiff(line.AsSpan("Binary files ".Length, line.Length - "Binary files ".Length - " differ".Length));
            if (_ready.Count > 0)
            {
                foreach (var text in _ready)
                    yield return text;
                _ready.Clear();
            }
        }
        Flush();
        foreach (var text in _ready)
            yield return text;
        _ready.Clear();
    }

    private void Flush()
    {
        if (_file is not null && _numbers.Count > 0)
        {
            var display = _inputs.Display(Path.Combine(_repository, _file));
            // A file the commit creates is added whole: its manifests are parsed, so a plaintext Secret committed
            // and deleted since is found as such, not only by credential patterns.
            bool manifest = _created && AuditInputs.HasManifestExtension(_file);
            _ready.Add(_inputs.Scanned(new SourceText(display, _lines.ToString(), _commit, [.. _numbers]), manifest));
            // A manifest it edits is read whole, before and after, for the document rules only.
            if (!_created && AuditInputs.HasManifestExtension(_file) && _ids is { } blob)
            {
                var store = _blobs.Value;
                var edit = new ManifestEdit(blob.Before, blob.After, () => store.Read(blob.Before));
                // A blob too large or not text reads as empty: no documents, no findings.
                _ready.Add(AuditInputs.DocumentsOnly(SourceText.Deferred(display, () => store.Read(blob.After) ?? "", _commit, edit)));
            }
        }
        _lines.Clear();
        _numbers.Clear();
        _file = null;
        _created = false;
        _ids = null;
        _renamedTo = null;
    }

    /// <summary>
    /// <c>A and B</c> of "Binary files A and B differ": the file's lines that the blob before did not hold are its added
    /// lines, unless it really is binary (or too large), which is skipped and counted. A deleted file adds nothing.
    /// </summary>
    private void ReadBinaryDiff(ReadOnlySpan<char> files)
    {
        const string Separator = " and ";
        if (files.EndsWith(Separator + "/dev/null", StringComparison.Ordinal))
            return;
        bool created = files.StartsWith("/dev/null" + Separator, StringComparison.Ordinal);
        // Both names are written alike (quoted alike), so without a rename the second is the second half.
        string? path = created ? WithoutPrefix(DiffPath(files["/dev/null and ".Length..]))
            : _renamedTo ?? ((files.Length - Separator.Length) % 2 == 0 ? WithoutPrefix(DiffPath(files[((files.Length + Separator.Length) / 2)..])) : null);
        var store = _blobs.Value;
        string? after = path is not null && _ids is { } ids ? store.Read(ids.After) : null; // a merge has no "before" blob
        if (after is null)
        {
            _inputs.Stats.SkippedBinary++;
            return;
        }
        var before = created ? null : store.Read(_ids!.Value.Before);
        AddLinesNotIn(before, after);
        _file = path;
        _created = created;
    }

    /// <summary>
    /// The lines of <paramref name="after"/> that <paramref name="before"/> did not hold (as many times as it held
    /// each): what a diff would call added, but for lines that only moved.
    /// </summary>
    private void AddLinesNotIn(string? before, string after)
    {
        var held = new Dictionary<string, int>(StringComparer.Ordinal);
        if (before is not null)
        {
            foreach (var line in Lines(before))
                held[line] = held.GetValueOrDefault(line) + 1;
        }
        int number = 0;
        foreach (var line in Lines(after))
        {
            number++;
            if (held.TryGetValue(line, out int count) && count > 0)
            {
                held[line] = count - 1;
                continue;
            }
            _lines.Append(line).Append('\n');
            _numbers.Add(number);
        }
    }

    /// <summary>A text's lines, as a patch gives them: without their CR LF or LF, and no empty line after the last.</summary>
    private static IEnumerable<string> Lines(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            int next = end < 0 ? text.Length : end + 1;
            if (end < 0)
                end = text.Length;
            yield return text[start..(end > start && text[end - 1] == '\r' ? end - 1 : end)];
            start = next;
        }
    }

    /// <summary>The path after the <c>b/</c> the options ask for.</summary>
    private static string WithoutPrefix(string path) => path.StartsWith("b/", StringComparison.Ordinal) ? path[2..] : path;

    /// <summary>The blob ids of <c>index BEFORE..AFTER [MODE]</c> (full ids: the diff runs with --full-index).</summary>
    private static (string Before, string After)? BlobIds(string header)
    {
        var range = header.AsSpan("index ".Length);
        int space = range.IndexOf(' ');
        if (space >= 0)
            range = range[..space];
        int dots = range.IndexOf("..", StringComparison.Ordinal);
        return dots > 0 ? (range[..dots].ToString(), range[(dots + 2)..].ToString()) : null;
    }

    /// <summary>
    /// The new-file start line of <c>@@ -a,b +c,d @@</c>, and how many lines of the old and the new file follow (a
    /// count left out is 1).
    /// </summary>
    internal static (int Start, int Old, int New) Hunk(string header)
    {
        var fields = header.Split(' ');
        if (fields.Length < 3 || fields[1].Length < 2 || fields[2].Length < 2)
            return (0, 0, 0);
        var (_, oldCount) = Range(fields[1].AsSpan(1));
        var (start, newCount) = Range(fields[2].AsSpan(1));
        return (start, oldCount, newCount);
    }

    private static (int Start, int Count) Range(ReadOnlySpan<char> range)
    {
        int comma = range.IndexOf(',');
        int start = int.Parse(comma < 0 ? range : range[..comma], CultureInfo.InvariantCulture);
        return (start, comma < 0 ? 1 : int.Parse(range[(comma + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The path of a <c>+++</c> line, as git writes it: a name with a space is followed by a tab (as GNU diff does), and
    /// one with a double quote, a backslash, a control or a non-ASCII character is C-quoted, its bytes as octal
    /// escapes (<c>"b/\303\251 a.env"</c> for <c>b/é a.env</c>).
    /// </summary>
    internal static string DiffPath(ReadOnlySpan<char> field)
    {
        if (field.EndsWith('\t'))
            field = field[..^1];
        if (field.Length < 2 || field[0] != '"' || field[^1] != '"')
            return field.ToString();
        var bytes = new List<byte>(field.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 1; i < field.Length - 1; i++)
        {
            char c = field[i];
            if (c != '\\' || i + 1 == field.Length - 1)
            {
                int n = Encoding.UTF8.GetBytes(field.Slice(i, char.IsHighSurrogate(c) && i + 1 < field.Length - 1 ? 2 : 1), utf8);
                bytes.AddRange(utf8[..n]);
                if (n == 4)
                    i++;
                continue;
            }
            char e = field[++i];
            if (e is >= '0' and <= '3' && i + 2 < field.Length - 1 && IsOctal(field[i + 1]) && IsOctal(field[i + 2]))
            {
                bytes.Add((byte)((e - '0') * 64 + (field[i + 1] - '0') * 8 + (field[i + 2] - '0')));
                i += 2;
                continue;
            }
            bytes.Add(e switch
            {
                'a' => 7,
                'b' => 8,
                't' => 9,
                'n' => 10,
                'v' => 11,
                'f' => 12,
                'r' => 13,
                _ => (byte)e, // \" and \\, and anything git does not write, kept as the character
            });
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
