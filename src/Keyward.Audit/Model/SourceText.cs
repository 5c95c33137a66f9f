using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>
/// A text file being audited: its display path, contents and a line index for positions and excerpts.
/// </summary>
/// <remarks>
/// A file on disk (or a Git blob) is read when its contents are first needed, and the audit lets go of them once it
/// has checked the file (<see cref="Release"/>): an audit holds one file's text at a time, not the repository's. If a
/// finding later needs a line of it (an excerpt, an inline suppression), it is read again, and a file on disk must
/// not have changed meanwhile.
/// </remarks>
public sealed class SourceText
{
    private int[]? _lineStarts;
    private string? _text;
    private readonly string? _path; // a file on disk
    private readonly Func<string>? _load; // or where else the text can be read again (a Git blob, which cannot change)
    private WeakReference<string>? _released;
    private (int Length, DateTime Written)? _firstRead;
    private bool _mayHaveIgnoreComment;
    private HashSet<int>? _keep; // lines to copy out on Release
    private Dictionary<int, string>? _keptLines; // the lines copied out
    private bool _discarded; // a history text let go for good: only its kept lines remain

    public SourceText(string file, string text, CommitInfo? commit = null, IReadOnlyList<int>? lineNumbers = null)
    {
        File = file;
        _text = text ?? throw new ArgumentNullException(nameof(text));
        _mayHaveIgnoreComment = text.Contains(Suppressions.InlineMarker, StringComparison.Ordinal);
        Commit = commit;
        LineNumbers = lineNumbers;
    }

    private SourceText(string file, string? path, Func<string>? load, CommitInfo? commit, ManifestEdit? edit)
    {
        File = file;
        _path = path;
        _load = load;
        Commit = commit;
        Edit = edit;
    }

    /// <summary>A text file on disk, read (as UTF-8, without a byte-order mark) when first needed.</summary>
    public static SourceText OnDisk(string file, string path) => new(file, path ?? throw new ArgumentNullException(nameof(path)), null, null, null);

    /// <summary>A text read when first needed, and again after <see cref="Release"/>, by a reader that gives the same text each time.</summary>
    internal static SourceText Deferred(string file, Func<string> load, CommitInfo? commit, ManifestEdit? edit = null) =>
        new(file, null, load, commit, edit);

    private bool Rereadable => _path is not null || _load is not null;

    /// <summary>The path shown in findings (relative to the scan root, forward slashes).</summary>
    public string File { get; }

    public string Text => _text ?? Read();

    /// <summary>False when the text holds no <c>keyward:ignore</c> comment, so no line of it needs reading for one.</summary>
    internal bool MayHaveIgnoreComment
    {
        get
        {
            if (Rereadable && _firstRead is null)
                _ = Text; // known once the text has been read
            return _mayHaveIgnoreComment;
        }
    }

    /// <summary>
    /// A line a check looked at now and will report on later (deferred and cross-object checks): it is copied out
    /// when the text is released, so the report needs no second read of the file.
    /// </summary>
    internal void KeepLine(int fileLine)
    {
        if (Rereadable && _text is not null)
            (_keep ??= []).Add(fileLine);
    }

    /// <summary>
    /// Lets the garbage collector take the contents of a file on disk or a blob; they are read again if needed. The
    /// added lines of a commit cannot be read again: what its findings may still ask for is kept (the lines holding an
    /// inline ignore comment; excerpts were copied when the findings were made), so a long history's texts do not stay
    /// in memory until the report.
    /// </summary>
    internal void Release()
    {
        if (_text is null)
            return;
        if (!Rereadable)
        {
            if (Commit is not null)
                Discard();
            return;
        }
        if (_keep is not null)
        {
            _keptLines = [];
            foreach (int line in _keep)
            {
                if (FileLine(line) is { } content)
                    _keptLines[line] = content;
            }
            _keep = null;
        }
        _released = new WeakReference<string>(_text);
        _text = null;
    }

    private void Discard()
    {
        _keptLines = [];
        if (_mayHaveIgnoreComment)
        {
            for (int i = 1; i <= LineCount; i++)
            {
                var line = Line(i);
                if (line.Contains(Suppressions.InlineMarker, StringComparison.Ordinal))
                    _keptLines[LineNumbers is { } numbers && i - 1 < numbers.Count ? numbers[i - 1] : i] = line.ToString();
            }
        }
        _discarded = true;
        _text = null;
        _lineStarts = null;
    }

    private string Read()
    {
        if (_discarded)
            throw new InvalidOperationException($"the text of {File} at {Commit?.Sha} was let go after its check");
        if (_released is not null && _released.TryGetTarget(out var kept))
            return kept;
        DateTime written = default;
        string text;
        if (_load is not null)
            text = _load();
        else
            text = ReadFile(out written);
        if (_firstRead is null)
        {
            _firstRead = (text.Length, written);
            _mayHaveIgnoreComment = text.Contains(Suppressions.InlineMarker, StringComparison.Ordinal);
        }
        else if (_firstRead != (text.Length, written))
        {
            throw new Keyward.Core.KeywardException($"\"{File}\" changed while it was being audited", "run the audit again once nothing writes to the files");
        }
        if (_released is null)
            _text = text;
        else
            _released.SetTarget(text);
        return text;
    }

    private string ReadFile(out DateTime written)
    {
        try
        {
            var text = TextFile.Read(_path!, out written);
            IsBinary = text is null;
            return text ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Keyward.Core.KeywardException($"cannot read \"{File}\": {Keyward.Core.KeywardException.Plain(e)}", "check that the file is still there and readable, then run the audit again", Keyward.Core.FailureKind.Usage, e);
        }
    }

    /// <summary>
    /// Findings of the rules that check each file alone, found ahead of the check on the parse-ahead thread (set
    /// before the text is handed to the rules; the engine takes each rule's list where it would have run the rule).
    /// </summary>
    internal Dictionary<Rule, List<Finding>>? PreparedFindings { get; set; }

    /// <summary>
    /// A file on disk found binary when it was read (its text is then empty): the audit skips it. Known once
    /// <see cref="Text"/> has been read.
    /// </summary>
    internal bool IsBinary { get; private set; }

    /// <summary>Its manifests are parsed (set by <see cref="AuditInputs"/>).</summary>
    internal bool IsManifestInput { get; set; }

    /// <summary>Its documents are checked, its text is not scanned (rendered output, edited manifests in history).</summary>
    internal bool IsDocumentsOnly { get; set; }

    /// <summary>
    /// For kustomize output rendered with origins: the file each YAML document came from, as shown, by document index
    /// (null for an object from no local file, or made by a generator). Null when kubectl did not say.
    /// </summary>
    internal IReadOnlyList<string?>? DocumentSources { get; set; }

    /// <summary>For history scans: the commit whose added lines this text holds.</summary>
    public CommitInfo? Commit { get; }

    /// <summary>For history scans: the file line number of each line of <see cref="Text"/> (added lines are not contiguous).</summary>
    public IReadOnlyList<int>? LineNumbers { get; }

    /// <summary>
    /// For a manifest a commit edited (or the index changes), read whole: which blobs it was and became, and how to read
    /// the one before. The commit answers only for the findings it brought; the others were there before.
    /// </summary>
    internal ManifestEdit? Edit { get; }

    private int[] LineStarts => _lineStarts ??= ComputeLineStarts(Text);

    public int LineCount => LineStarts.Length;

    /// <summary>1-based line and column of a character offset, mapped to file lines for history texts.</summary>
    public SourcePosition PositionOf(int offset)
    {
        var starts = LineStarts;
        int index = Array.BinarySearch(starts, offset);
        if (index < 0)
            index = ~index - 1;
        int line = index + 1;
        if (LineNumbers is { } numbers && index < numbers.Count)
            line = numbers[index];
        return new SourcePosition(line, offset - starts[index] + 1);
    }

    /// <summary>The text of a 1-based line of <see cref="Text"/> (not mapped), without its line break.</summary>
    public ReadOnlySpan<char> Line(int line)
    {
        var starts = LineStarts;
        if (line < 1 || line > starts.Length)
            return [];
        int start = starts[line - 1];
        int end = line < starts.Length ? starts[line] : Text.Length;
        var span = Text.AsSpan(start, end - start);
        return span.TrimEnd("\r\n");
    }

    /// <summary>The line at a file line number (for history texts, the added line with that number).</summary>
    public string? FileLine(int fileLine) => TryFileLine(fileLine, out var line) ? line.ToString() : null;

    /// <summary><see cref="FileLine"/> without allocating: false when the text has no such line.</summary>
    public bool TryFileLine(int fileLine, out ReadOnlySpan<char> line)
    {
        if (_text is null && _keptLines is not null && _keptLines.TryGetValue(fileLine, out var kept))
        {
            line = kept;
            return true;
        }
        if (_discarded)
        {
            line = [];
            return false;
        }
        if (LineNumbers is null)
        {
            line = fileLine >= 1 && fileLine <= LineCount ? Line(fileLine) : [];
            return fileLine >= 1 && fileLine <= LineCount;
        }
        for (int i = 0; i < LineNumbers.Count; i++)
        {
            if (LineNumbers[i] == fileLine)
            {
                line = Line(i + 1);
                return true;
            }
        }
        line = [];
        return false;
    }

    public int LineIndexOf(int offset)
    {
        int index = Array.BinarySearch(LineStarts, offset);
        return index < 0 ? ~index - 1 : index;
    }

    public int LineStart(int lineIndex) => LineStarts[lineIndex];

    public int LineEnd(int lineIndex)
    {
        var starts = LineStarts;
        int end = lineIndex + 1 < starts.Length ? starts[lineIndex + 1] : Text.Length;
        while (end > starts[lineIndex] && (Text[end - 1] == '\n' || Text[end - 1] == '\r'))
            end--;
        return end;
    }

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int>(Math.Max(16, text.Length / 40)) { 0 };
        var span = text.AsSpan();
        int offset = 0;
        while (true)
        {
            int nl = span[offset..].IndexOf('\n');
            if (nl < 0)
                break;
            offset += nl + 1;
            if (offset <= text.Length)
                starts.Add(offset);
        }
        if (starts.Count > 1 && starts[^1] == text.Length)
            starts.RemoveAt(starts.Count - 1);
        return [.. starts];
    }
}

/// <summary>An edit of a manifest in history: the blob ids before and after it, and a reader for the one before.</summary>
internal sealed record ManifestEdit(string BeforeId, string AfterId, Func<string?> ReadBefore);
