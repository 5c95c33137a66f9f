namespace Keyward.Manifests.Yaml;

/// <summary>
/// A fast reader for the YAML that Kubernetes manifests are made of: block mappings and sequences, one-line plain
/// and quoted scalars, literal and folded block scalars, simple tags, comments, document markers and flow
/// collections (including whole JSON files). It builds exactly the tree <see cref="YamlDotNetConverter.ReadStream"/>
/// builds, positions included, at many times YamlDotNet's speed. On anything it does not handle, and on every error
/// it sees, it gives up (returns null) and the caller reads the text with YamlDotNet, which also reports errors.
/// </summary>
internal static partial class FastManifestReader
{
    /// <summary>
    /// One <see cref="YamlValue"/> per document, exactly what <see cref="YamlDotNetConverter.ReadStream"/> yields
    /// when it reads the text without error; or null when the text needs the full reader.
    /// </summary>
    /// <param name="text">the stream</param>
    /// <param name="lastKeyWins">read a duplicate key as Kubernetes' YAML library does, the last value winning,
    /// instead of giving up (the audit's second try at a document that is an error to YamlDotNet)</param>
    public static List<YamlValue>? TryRead(string text, bool lastKeyWins = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\r'))
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal); // a lone CR is left and refused below
        if (ContainsCharacterNeedingFullReader(text))
            return null;
        try
        {
            return new Parser(text, lastKeyWins).ReadStream();
        }
        catch (GiveUpException)
        {
            return null;
        }
    }

    /// <summary>Thrown inside the parser when the text needs the full reader; never leaves <see cref="TryRead"/>.</summary>
    private sealed class GiveUpException : Exception;

    /// <summary>What may start where a node starts; a mapping or sequence can only begin a line or follow "- ".</summary>
    private enum Context
    {
        LineStart,
        SeqItem,
        Inline, // after "key: ", "--- " or a tag: scalars and flow collections only
    }

    private sealed partial class Parser
    {
        private readonly string _t;
        private readonly StringCache _strings = StringCache.Current;
        private YamlValue[] _stack = new YamlValue[64]; // children of the collections being built, innermost last
        private int _top;
        private HashSet<string>? _keySet;
        private int _ls; // start of the current line
        private int _le; // end of the current line (its '\n' or the end of the text)
        private int _line = 1; // 1-based number of the current line
        private bool _eof; // past the last line
        private readonly bool _hasTabs;
        private const int MaxDepth = 1000; // nesting beyond this is no manifest; it would only risk the stack
        private int _depth;
        private int _peekedLine = -1, _peekedIndent; // the line start and result of the last PeekContent
        private bool _afterPlainRoot; // a document's root is a plain scalar and no marker came after it yet

        private readonly bool _lastKeyWins;

        public Parser(string text, bool lastKeyWins)
        {
            _t = text;
            _lastKeyWins = lastKeyWins;
            _hasTabs = text.Contains('\t');
            SetLine(0);
        }

        // A new instance each time: one shared instance thrown on several threads at once would share its stack trace.
        private static GiveUpException GiveUp() => new();

        private void SetLine(int start)
        {
            _ls = start;
            int e = _t.AsSpan(start).IndexOf('\n');
            _le = e < 0 ? _t.Length : start + e;
        }

        private void NextLine()
        {
            if (_le >= _t.Length)
            {
                _eof = true;
                _ls = _le = _t.Length;
                return;
            }
            _line++;
            SetLine(_le + 1);
        }

        private int Column(int index) => index - _ls + 1;

        /// <summary>Tabs in block context (indentation, separation) follow rules this reader does not copy.</summary>
        private void RefuseTabs()
        {
            if (_hasTabs && _t.AsSpan(_ls, _le - _ls).Contains('\t'))
                throw GiveUp();
        }

        private int SkipSpaces(int i)
        {
            while (i < _le && _t[i] == ' ')
                i++;
            return i;
        }

        /// <summary>"---" or "..." at the start of the current line, followed by a blank or the line end.</summary>
        private bool AtMarker(char c) =>
            _le - _ls >= 3 && _t[_ls] == c && _t[_ls + 1] == c && _t[_ls + 2] == c && (_le - _ls == 3 || _t[_ls + 3] is ' ' or '\t');

        /// <summary>
        /// Moves past blank and comment lines; returns the indentation of the next content line, or -1 at the end
        /// of the text or at a document marker.
        /// </summary>
        private int PeekContent()
        {
            if (_peekedLine == _ls && !_eof)
                return _peekedIndent; // each enclosing collection asks again as it closes
            while (!_eof)
            {
                int i = SkipSpaces(_ls);
                if (i == _le || _t[i] == '#')
                {
                    if (i < _le && _afterPlainRoot)
                        throw GiveUp(); // YamlDotNet then fails on a plain scalar in the next document
                    NextLine();
                    continue;
                }
                RefuseTabs();
                if (i == _ls)
                {
                    if (AtMarker('-') || AtMarker('.'))
                    {
                        _peekedLine = _ls;
                        _peekedIndent = -1;
                        return -1;
                    }
                    if (_t[i] == '%')
                        throw GiveUp(); // a directive
                }
                _peekedLine = _ls;
                _peekedIndent = i - _ls;
                return _peekedIndent;
            }
            return -1;
        }

        /// <summary>The rest of the line from <paramref name="i"/> must be spaces and maybe a comment; moves to the next line.</summary>
        private void FinishLine(int i)
        {
            int j = SkipSpaces(i);
            if (j < _le && (_t[j] != '#' || j == i && i > _ls && _t[i - 1] != ' ' || _afterPlainRoot))
                throw GiveUp();
            NextLine();
        }

        private bool IsDash(int i) => _t[i] == '-' && (i + 1 == _le || _t[i + 1] == ' ');

        private void Push(YamlValue value)
        {
            if (_top == _stack.Length)
                Array.Resize(ref _stack, _stack.Length * 2);
            _stack[_top++] = value;
        }

        private string Intern(ReadOnlySpan<char> s) => _strings.Get(s);

        public List<YamlValue> ReadStream()
        {
            var documents = new List<YamlValue>();
            bool open = false; // a "---" was read and its document has no content yet
            bool ended = false; // a document's content was read and no marker came after it
            bool afterEnd = false; // the last marker was "..."
            while (true)
            {
                int indent = PeekContent();
                if (_eof)
                {
                    if (open)
                        documents.Add(new YamlScalar("", StreamEndLine(), 2));
                    return documents;
                }
                if (indent >= 0)
                {
                    if (ended)
                        throw GiveUp(); // content after a document without a marker
                    if (afterEnd && _t[_ls + indent] is '-' or '[' or '{' or '!' or '|' or '>')
                        throw GiveUp(); // YamlDotNet wants a "---" before these after a "..."
                    documents.Add(ParseNode(_ls + indent, Context.LineStart, -1, null, 0, 0));
                    open = false;
                    ended = true;
                    continue;
                }
                _afterPlainRoot = false;
                if (_t[_ls] == '.')
                {
                    if (open)
                        documents.Add(new YamlScalar("", _line, SkipSpaces(_ls + 3) - _ls + 1)); // after "..." and its spaces
                    else if (!ended)
                        throw GiveUp(); // YamlDotNet fails on a "..." that ends nothing
                    open = ended = false;
                    afterEnd = true;
                    FinishLine(_ls + 3);
                    continue;
                }
                // "---": the document before it, if only opened, is empty (positioned at the end of this marker).
                if (open)
                    documents.Add(new YamlScalar("", _line, 4));
                ended = afterEnd = false;
                int i = SkipSpaces(_ls + 3);
                if (i == _le || _t[i] == '#')
                {
                    open = true;
                    NextLine();
                    continue;
                }
                var root = ParseNode(i, Context.Inline, -1, null, 0, 0, documentStart: true);
                documents.Add(root);
                open = false;
                ended = true;
            }
        }

        /// <summary>Where YamlDotNet puts the empty document that the end of the text closes.</summary>
        private int StreamEndLine()
        {
            int newlines = _t.AsSpan().Count('\n');
            return _t.Length == 0 || _t[^1] == '\n' ? newlines + 1 : newlines + 2;
        }

        /// <summary>
        /// The value after "key:", "-" or a tag, starting at <paramref name="i"/> (spaces skipped). When the line has
        /// no more content the value is on the following lines, or is empty (at <paramref name="emptyLine"/>:
        /// <paramref name="emptyColumn"/>, or at the tag).
        /// </summary>
        private YamlValue ParseValue(int i, Context context, int parentIndent, int emptyLine, int emptyColumn, bool allowIndentless,
            string? tag, int tagLine, int tagColumn)
        {
            if (i < _le && _t[i] != '#')
                return ParseNode(i, context, parentIndent, tag, tagLine, tagColumn);
            NextLine();
            int indent = PeekContent();
            if (indent > parentIndent)
                return ParseNode(_ls + indent, Context.LineStart, parentIndent, tag, tagLine, tagColumn);
            if (allowIndentless && indent == parentIndent && IsDash(_ls + indent))
                return ParseSequence(_ls + indent, tag, tagLine, tagColumn);
            return tag is null ? new YamlScalar("", emptyLine, emptyColumn) : new YamlScalar("", tagLine, tagColumn, ScalarStyle.Plain, tag);
        }

        /// <summary>A node starting at <paramref name="i"/> on the current line.</summary>
        private YamlValue ParseNode(int i, Context context, int parentIndent, string? tag, int tagLine, int tagColumn, bool documentStart = false)
        {
            if (++_depth > MaxDepth)
                throw GiveUp();
            var node = ParseNodeAt(i, context, parentIndent, tag, tagLine, tagColumn, documentStart);
            _depth--;
            return node;
        }

        private YamlValue ParseNodeAt(int i, Context context, int parentIndent, string? tag, int tagLine, int tagColumn, bool documentStart)
        {
            char c = _t[i];
            int line = tag is null ? _line : tagLine, column = tag is null ? Column(i) : tagColumn;
            switch (c)
            {
                case '!':
                    if (tag is not null)
                        throw GiveUp();
                    int afterTag = ReadTag(i, out var newTag);
                    if (afterTag < _le && _t[afterTag] != ' ')
                        throw GiveUp();
                    return ParseValue(SkipSpaces(afterTag), Context.Inline, parentIndent, 0, 0,
                        allowIndentless: context == Context.Inline && !documentStart, newTag, _line, Column(i));
                case '|' or '>':
                    return ReadBlockScalar(i, parentIndent, line, column, tag);
                case '[' or '{':
                    var flow = ReadFlow(i, parentIndent, tag, line, column, out int after);
                    FinishLine(after);
                    return flow;
                case '-' when IsDash(i):
                    if (context == Context.Inline)
                        throw GiveUp(); // "a: - b"
                    return ParseSequence(i, tag, tagLine, tagColumn);
            }
            var scalar = ReadScalarOrKey(i, out int next, out bool isKey, key: false);
            if (!isKey)
            {
                _afterPlainRoot = parentIndent < 0 && scalar.Style == ScalarStyle.Plain;
                FinishLine(next);
                return tag is null ? scalar : new YamlScalar(scalar.Value, line, column, scalar.Style, tag);
            }
            if (context == Context.Inline)
                throw GiveUp(); // "a: b: c", "--- a: b", "!t a: b"
            return ParseMapping(i - _ls, scalar, next, tag, tagLine, tagColumn);
        }

        /// <summary>A block mapping whose first key (already read) starts at column <paramref name="indent"/> + 1.</summary>
        private YamlMap ParseMapping(int indent, YamlScalar firstKey, int afterColon, string? tag, int tagLine, int tagColumn)
        {
            int start = _top;
            var key = firstKey;
            while (true)
            {
                Push(key);
                int colonColumn = Column(afterColon - 1);
                Push(ParseValue(SkipSpaces(afterColon), Context.Inline, indent, _line, colonColumn + 1, allowIndentless: true, null, 0, 0));
                int next = PeekContent();
                if (next < indent)
                    break;
                if (next > indent || IsDash(_ls + next))
                    throw GiveUp();
                int at = _ls + next;
                key = ReadScalarOrKey(at, out afterColon, out bool isKey, key: true);
                if (!isKey)
                    throw GiveUp();
            }
            return tag is null ? BuildMap(start, firstKey.Line, firstKey.Column, null) : BuildMap(start, tagLine, tagColumn, tag);
        }

        /// <summary>A block sequence whose first "-" is at <paramref name="dash"/>.</summary>
        private YamlList ParseSequence(int dash, string? tag, int tagLine, int tagColumn)
        {
            int start = _top;
            int indent = dash - _ls;
            int line = tag is null ? _line : tagLine, column = tag is null ? indent + 1 : tagColumn;
            while (true)
            {
                Push(ParseValue(SkipSpaces(dash + 1), Context.SeqItem, indent, _line, indent + 2, allowIndentless: false, null, 0, 0));
                int next = PeekContent();
                if (next > indent)
                    throw GiveUp();
                if (next < indent || !IsDash(_ls + next))
                    break;
                dash = _ls + next;
            }
            return new YamlList(Pop(start), line, column, tag);
        }

        private YamlValue[] Pop(int start)
        {
            var items = _stack.AsSpan(start, _top - start).ToArray();
            _stack.AsSpan(start, _top - start).Clear();
            _top = start;
            return items;
        }

        /// <summary>Builds a mapping from the key/value pairs pushed since <paramref name="start"/>; gives up on a duplicate key.</summary>
        private YamlMap BuildMap(int start, int line, int column, string? tag)
        {
            int count = (_top - start) / 2;
            var keys = new YamlScalar[count];
            var values = new YamlValue[count];
            for (int k = 0; k < count; k++)
            {
                keys[k] = (YamlScalar)_stack[start + 2 * k];
                values[k] = _stack[start + 2 * k + 1];
                // A merge key copies entries from elsewhere: the YamlDotNet path applies it.
                if (keys[k].Style == ScalarStyle.Plain && keys[k].Value is "<<")
                    throw GiveUp();
            }
            _stack.AsSpan(start, _top - start).Clear();
            _top = start;
            if (_lastKeyWins)
                return LastOfEachKey(keys, values, line, column, tag);
            CheckUniqueKeys(keys);
            return new YamlMap(keys, values, line, column, tag);
        }

        /// <summary>The mapping with each key's last entry only, in the order of those entries.</summary>
        private static YamlMap LastOfEachKey(YamlScalar[] keys, YamlValue[] values, int line, int column, string? tag)
        {
            var keptKeys = new List<YamlScalar>(keys.Length);
            var keptValues = new List<YamlValue>(values.Length);
            for (int k = 0; k < keys.Length; k++)
                DuplicateKeys.AddLast(keptKeys, keptValues, keys[k], values[k]);
            return new YamlMap([.. keptKeys], [.. keptValues], line, column, tag);
        }

        // Keys are interned, so equal keys are the same string.
        private void CheckUniqueKeys(YamlScalar[] keys)
        {
            if (keys.Length <= 12)
            {
                for (int a = 1; a < keys.Length; a++)
                {
                    for (int b = 0; b < a; b++)
                    {
                        // Equal keys are usually one cached instance, but the cache may have replaced it in between.
                        if (string.Equals(keys[a].Value, keys[b].Value, StringComparison.Ordinal))
                            throw GiveUp();
                    }
                }
                return;
            }
            var set = _keySet ??= new HashSet<string>(StringComparer.Ordinal);
            set.Clear();
            foreach (var key in keys)
            {
                if (!set.Add(key.Value))
                    throw GiveUp();
            }
        }
    }
}
