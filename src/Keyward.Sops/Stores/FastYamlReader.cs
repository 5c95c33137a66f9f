using Keyward.Sops.Tree;
using Keyward.Sops.Values;

namespace Keyward.Sops.Stores;

/// <summary>
/// A line-based reader for the block YAML that sops files and Kubernetes manifests are made of: block mappings and
/// sequences, plain and one-line quoted scalars without escapes, literal block scalars (<c>|</c>, <c>|-</c>),
/// full-line comments and <c>---</c> documents. It builds exactly the tree <see cref="YamlTreeReader"/> builds
/// (positions, styles, comment placement, layout) at several times the speed of YamlDotNet's scanner. On anything
/// else (flow collections, anchors, tags, escapes, folded or multi-line scalars, inline comments, tabs, CR, errors)
/// it gives up and the caller uses the full reader, which also reports every error.
/// </summary>
internal sealed class FastYamlReader
{
    private readonly string _text;
    private readonly string _source;
    private readonly List<(SopsComment Comment, int Column)> _pending = [];
    private int _pos; // start of the current line
    private int _lineNumber = 1; // 1-based number of the line at _pos
    private int? _indent;
    private bool? _indentSequences;

    private FastYamlReader(string text, string source)
    {
        _text = text;
        _source = source;
    }

    /// <summary>The file's trees, or null when the text needs the full reader.</summary>
    public static SopsFile? TryRead(string text, string source)
    {
        if (text.Contains('\r') || text.Contains('\t'))
            return null;
        try
        {
            return new FastYamlReader(text, source).ReadStream();
        }
        catch (GiveUpException)
        {
            return null;
        }
    }

    private sealed class GiveUpException : Exception;

    private static GiveUpException GiveUp() => new();

    private bool AtEnd => _pos >= _text.Length;

    private int LineEnd
    {
        get
        {
            int end = _text.IndexOf('\n', _pos);
            return end < 0 ? _text.Length : end;
        }
    }

    private ReadOnlySpan<char> Line => _text.AsSpan(_pos, LineEnd - _pos);

    private void NextLine()
    {
        int end = LineEnd;
        _pos = end < _text.Length ? end + 1 : end;
        _lineNumber++;
    }

    private static int Indent(ReadOnlySpan<char> line)
    {
        int i = 0;
        while (i < line.Length && line[i] == ' ')
            i++;
        return i;
    }

    private static bool IsDocumentMarker(ReadOnlySpan<char> line) =>
        line.StartsWith("---") && (line.Length == 3 || line[3] == ' ') || line.StartsWith("...") || line.StartsWith("%");

    /// <summary>
    /// Moves to the next line with content, recording full-line comments as pending (the full reader's order);
    /// returns the content line's indentation, or -1 at the end of the text or of the document.
    /// </summary>
    private int SkipToContent()
    {
        while (!AtEnd)
        {
            var line = Line;
            int indent = Indent(line);
            if (indent == line.Length)
            {
                NextLine();
                continue;
            }
            if (line[indent] == '#')
            {
                var comment = new SopsComment(line[(indent + 1)..].ToString()) { Line = _lineNumber, Column = indent + 1 };
                _pending.Add((comment, indent + 1));
                NextLine();
                continue;
            }
            if (indent == 0 && IsDocumentMarker(line))
                return -1;
            return indent;
        }
        return -1;
    }

    private SopsFile ReadStream()
    {
        var file = new SopsFile(StoreKind.Yaml, _source);
        while (true)
        {
            int indent = SkipToContent();
            if (AtEnd)
                break;
            bool explicitStart = false;
            if (indent < 0)
            {
                var line = Line;
                if (!line.StartsWith("---") || line.Length != 3)
                    throw GiveUp();
                explicitStart = true;
                NextLine();
                indent = SkipToContent();
            }
            if (indent != 0)
                throw GiveUp(); // empty document, or a top level that is not a block mapping
            var root = ReadMapping(0, firstKeyAt: 0, keyColumn: 0);
            foreach (var (c, _) in _pending)
                root.Items.Add(c);
            _pending.Clear();
            file.Documents.Add(new SopsDocument(root) { ExplicitStart = explicitStart });
        }
        if (file.Documents.Count == 0)
            throw GiveUp();
        if (_pending.Count > 0)
        {
            foreach (var (c, _) in _pending)
                file.Documents[^1].Root.Items.Add(c);
            _pending.Clear();
        }
        file.Layout = new TreeLayout { Indent = _indent ?? 4, IndentSequences = _indentSequences ?? true };
        return file;
    }

    private void FlushPending(List<SopsNode> items, int minColumn) => PendingComments.Flush(_pending, items, minColumn);

    /// <summary>A block mapping whose keys start at column <paramref name="indent"/>; the first key may follow a "- ".</summary>
    private SopsMapping ReadMapping(int indent, int firstKeyAt, int keyColumn)
    {
        var map = new SopsMapping { Line = _lineNumber, Column = indent + 1 };
        if (keyColumn > 0 && _indent is null && indent + 1 > keyColumn)
            _indent = indent + 1 - keyColumn;
        HashSet<string>? keys = null;
        bool first = true;
        while (true)
        {
            int at;
            if (first)
            {
                at = firstKeyAt;
                first = false;
            }
            else
            {
                int lineIndent = SkipToContent();
                if (lineIndent < indent)
                    break;
                if (lineIndent > indent)
                    throw GiveUp();
                at = lineIndent;
            }
            var line = Line;
            var (key, keyStyle, afterColon) = ParseKey(line, at);
            keys ??= new HashSet<string>(StringComparer.Ordinal);
            if (!keys.Add(key))
                throw GiveUp();
            FlushPending(map.Items, 0);
            var entry = new SopsEntry(key, new SopsScalar(ScalarKind.Null, ""), keyStyle) { Line = _lineNumber, Column = at + 1 };
            map.Items.Add(entry);
            entry.Value = ReadValue(line, afterColon, indent, at + 1, inSequence: false);
        }
        FlushPending(map.Items, map.Column);
        return map;
    }

    /// <summary>A block sequence with its dashes at column <paramref name="indent"/>.</summary>
    private SopsSequence ReadSequence(int indent, bool indentless)
    {
        var seq = new SopsSequence { Line = _lineNumber, Column = indent + 1 };
        bool first = true;
        while (true)
        {
            if (!first)
            {
                int lineIndent = SkipToContent();
                if (lineIndent < indent)
                    break;
                if (lineIndent > indent)
                    throw GiveUp();
            }
            first = false;
            var line = Line;
            if (line[indent] != '-' || indent + 1 < line.Length && line[indent + 1] != ' ')
            {
                if (indentless)
                    break;
                throw GiveUp();
            }
            int at = indent + 1;
            while (at < line.Length && line[at] == ' ')
                at++;
            if (at == line.Length || line[at] is '-' or '#')
                throw GiveUp();
            FlushPending(seq.Items, 0);
            if (TryKey(line, at))
                seq.Items.Add(ReadMapping(at, firstKeyAt: at, keyColumn: 0));
            else
                seq.Items.Add(ReadValue(line, at, indent, 0, inSequence: true));
        }
        FlushPending(seq.Items, seq.Column);
        return seq;
    }

    /// <summary>
    /// The value after a key (or a dash) starting at <paramref name="at"/> on the current line: a scalar there, or a
    /// block on the following lines. <paramref name="indent"/> is the indentation of the key or dash.
    /// </summary>
    private SopsNode ReadValue(ReadOnlySpan<char> line, int at, int indent, int keyColumn, bool inSequence)
    {
        while (at < line.Length && line[at] == ' ')
            at++;
        if (at == line.Length)
        {
            if (inSequence)
                throw GiveUp();
            NextLine();
            int next = SkipToContent();
            if (next < 0 || next < indent || next == indent && !IsDash(next))
                throw GiveUp(); // an empty value: its position in YamlDotNet's events is not worth mimicking
            if (IsDash(next))
            {
                _indentSequences ??= next + 1 > keyColumn;
                return ReadSequence(next, indentless: next == indent);
            }
            return ReadMapping(next, firstKeyAt: next, keyColumn);
        }
        int column = at + 1, lineNumber = _lineNumber;
        SopsScalar scalar;
        switch (line[at])
        {
            case '|':
                scalar = ReadLiteral(line, at, indent);
                scalar.Line = lineNumber;
                scalar.Column = column;
                return scalar;
            case '"' or '\'':
                {
                    var (text, end) = Quoted(line, at);
                    if (!IsBlank(line[end..]))
                        throw GiveUp();
                    scalar = new SopsScalar(ScalarKind.Str, text, line[at] == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted);
                    break;
                }
            default:
                {
                    if (!PlainStart(line, at))
                        throw GiveUp();
                    var rest = line[at..];
                    if (rest.Contains(" #", StringComparison.Ordinal) || rest.Contains(": ", StringComparison.Ordinal) || rest[^1] == ':')
                        throw GiveUp();
                    scalar = YamlScalars.ResolvePlain(rest.TrimEnd(' ').ToString());
                    break;
                }
        }
        scalar.Line = lineNumber;
        scalar.Column = column;
        NextLine();
        // A more indented line after a one-line scalar would continue it (or be an error): the full reader decides.
        int after = SkipToContent();
        if (after > indent)
            throw GiveUp();
        return scalar;
    }

    private bool IsDash(int indent)
    {
        var line = Line;
        return line[indent] == '-' && (indent + 1 == line.Length || line[indent + 1] == ' ');
    }

    private static bool IsBlank(ReadOnlySpan<char> s) => s.TrimStart(' ').IsEmpty;

    private static bool PlainStart(ReadOnlySpan<char> line, int at) => line[at] switch
    {
        '-' => at + 1 < line.Length && line[at + 1] != ' ',
        '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`' => false,
        _ => true,
    };

    /// <summary>A one-line quoted scalar without escapes: its text and the index after the closing quote.</summary>
    private static (string Text, int End) Quoted(ReadOnlySpan<char> line, int at)
    {
        char quote = line[at];
        var body = line[(at + 1)..];
        if (quote == '"')
        {
            int close = body.IndexOfAny('"', '\\');
            if (close < 0 || body[close] == '\\')
                throw GiveUp();
            return (body[..close].ToString(), at + close + 2);
        }
        int i = 0;
        bool doubled = false;
        while (true)
        {
            int q = body[i..].IndexOf('\'');
            if (q < 0)
                throw GiveUp();
            i += q;
            if (i + 1 < body.Length && body[i + 1] == '\'')
            {
                doubled = true;
                i += 2;
                continue;
            }
            var text = body[..i].ToString();
            return (doubled ? text.Replace("''", "'", StringComparison.Ordinal) : text, at + i + 2);
        }
    }

    private static bool TryKey(ReadOnlySpan<char> line, int at)
    {
        if (line[at] is '"' or '\'')
        {
            var (_, end) = Quoted(line, at);
            return end < line.Length && line[end] == ':' && (end + 1 == line.Length || line[end + 1] == ' ');
        }
        if (!PlainStart(line, at))
            return false;
        var rest = line[at..];
        int colon = rest.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 || rest[^1] == ':';
    }

    /// <summary>A key and the index after its colon.</summary>
    private static (string Key, ScalarStyle Style, int AfterColon) ParseKey(ReadOnlySpan<char> line, int at)
    {
        if (line[at] is '"' or '\'')
        {
            var (text, end) = Quoted(line, at);
            if (end >= line.Length || line[end] != ':' || end + 1 < line.Length && line[end + 1] != ' ')
                throw GiveUp();
            return (text, line[at] == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted, end + 1);
        }
        if (!PlainStart(line, at))
            throw GiveUp();
        var rest = line[at..];
        int colon = rest.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            if (rest[^1] != ':')
                throw GiveUp();
            colon = rest.Length - 1;
        }
        var key = rest[..colon];
        if (key.IsEmpty || key[^1] == ' ' || key.Contains(" #", StringComparison.Ordinal))
            throw GiveUp();
        return (key.ToString(), ScalarStyle.Any, at + colon + 1);
    }

    /// <summary>A literal block scalar (<c>|</c>, <c>|-</c>) whose header is at <paramref name="at"/>; leaves the reader on the next line.</summary>
    private SopsScalar ReadLiteral(ReadOnlySpan<char> line, int at, int parentIndent)
    {
        var header = line[(at + 1)..].TrimEnd(' ');
        bool strip = header.SequenceEqual("-");
        if (!header.IsEmpty && !strip)
            throw GiveUp();
        NextLine();
        if (AtEnd)
            throw GiveUp();
        int blockIndent = Indent(Line);
        if (blockIndent <= parentIndent || blockIndent == Line.Length)
            throw GiveUp();
        var sb = new System.Text.StringBuilder();
        int blankRun = 0;
        while (!AtEnd)
        {
            var l = Line;
            int ind = Indent(l);
            if (ind == l.Length && ind <= blockIndent)
            {
                blankRun++;
                NextLine();
                continue;
            }
            if (ind < blockIndent)
                break;
            for (; blankRun > 0; blankRun--)
                sb.Append('\n');
            if (sb.Length > 0)
                sb.Append('\n');
            sb.Append(l[blockIndent..]);
            NextLine();
        }
        // Blank lines at the end belong to no value (clip and strip drop them); the next content line decides the rest.
        if (!strip)
            sb.Append('\n');
        int after = SkipToContent();
        if (after > parentIndent)
            throw GiveUp();
        return new SopsScalar(ScalarKind.Str, sb.ToString(), ScalarStyle.Literal);
    }
}
