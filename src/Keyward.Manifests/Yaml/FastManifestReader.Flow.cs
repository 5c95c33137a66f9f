namespace Keyward.Manifests.Yaml;

internal static partial class FastManifestReader
{
    private sealed partial class Parser
    {
        /// <summary>
        /// A flow collection starting at <paramref name="i"/> (its '[' or '{'), possibly over many lines (JSON);
        /// <paramref name="after"/> is the index after its closing bracket, on the line it ends on. Lines inside it
        /// must be indented deeper than <paramref name="parentIndent"/> (YamlDotNet fails otherwise).
        /// </summary>
        private YamlValue ReadFlow(int i, int parentIndent, string? tag, int line, int column, out int after)
        {
            int p = i;
            var value = ReadFlowNode(ref p, parentIndent, tag, line, column);
            after = p;
            return value;
        }

        /// <summary>Skips spaces, comments and line breaks inside a flow collection; returns the next token's index.</summary>
        private int FlowSkip(int p, int parentIndent)
        {
            while (true)
            {
                while (p < _le && _t[p] is ' ' or '\t')
                    p++;
                if (p < _le)
                {
                    if (_t[p] != '#')
                        return p;
                    if (p > _ls && _t[p - 1] is not (' ' or '\t'))
                        throw GiveUp(); // a '#' right after a token
                    p = _le;
                    continue;
                }
                if (_le >= _t.Length)
                    throw GiveUp(); // unterminated
                _line++;
                SetLine(_le + 1);
                p = _ls;
                if (parentIndent >= 0)
                    RefuseTabs(); // a tab where YamlDotNet checks the indentation
                int first = SkipSpaces(_ls);
                if (first < _le && (first - _ls <= parentIndent || first == _ls && (AtMarker('-') || AtMarker('.'))))
                    throw GiveUp();
            }
        }

        /// <summary>A flow node at <paramref name="p"/> (a token start); leaves <paramref name="p"/> after it.</summary>
        private YamlValue ReadFlowNode(ref int p, int parentIndent, string? tag, int line, int column)
        {
            char c = _t[p];
            if (c is '[' or '{' && ++_depth > MaxDepth)
                throw GiveUp();
            if (c == '[')
            {
                int start = _top;
                p = FlowSkip(p + 1, parentIndent);
                if (_t[p] != ']')
                {
                    while (true)
                    {
                        Push(ReadFlowNode(ref p, parentIndent, null, _line, Column(p)));
                        p = FlowSkip(p, parentIndent);
                        if (_t[p] == ']')
                            break;
                        if (_t[p] != ',')
                            throw GiveUp(); // "[a: b]", a missing comma
                        p = FlowSkip(p + 1, parentIndent);
                        if (_t[p] is ']' or ',')
                            throw GiveUp(); // a trailing comma, an empty entry
                    }
                }
                p++;
                _depth--;
                return new YamlList(Pop(start), line, column, tag);
            }
            if (c == '{')
            {
                int start = _top;
                p = FlowSkip(p + 1, parentIndent);
                if (_t[p] != '}')
                {
                    while (true)
                    {
                        char k = _t[p];
                        var key = k is '"' or '\'' ? ReadFlowQuoted(ref p, key: true) : ReadFlowPlain(ref p, key: true);
                        int colon = p;
                        while (colon < _le && _t[colon] is ' ' or '\t')
                            colon++;
                        if (colon == _le || _t[colon] != ':')
                            throw GiveUp(); // a key without a value, or its ':' on another line
                        if (key.Style == ScalarStyle.Plain && colon + 1 < _le && _t[colon + 1] is not (' ' or '\t'))
                            throw GiveUp(); // "{a:b}" is one plain key in YamlDotNet
                        p = FlowSkip(colon + 1, parentIndent);
                        Push(key);
                        Push(ReadFlowNode(ref p, parentIndent, null, _line, Column(p)));
                        p = FlowSkip(p, parentIndent);
                        if (_t[p] == '}')
                            break;
                        if (_t[p] != ',')
                            throw GiveUp();
                        p = FlowSkip(p + 1, parentIndent);
                        if (_t[p] is '}' or ',')
                            throw GiveUp();
                    }
                }
                p++;
                _depth--;
                return BuildMap(start, line, column, tag);
            }
            if (tag is not null)
                throw GiveUp(); // only collections carry a tag into flow reading
            return c is '"' or '\'' ? ReadFlowQuoted(ref p, key: false) : ReadFlowPlain(ref p, key: false);
        }

        /// <summary>What may follow a ':' inside a flow plain scalar ("http://x", "a:1") for this reader to keep reading.</summary>
        private static bool IsUrlCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_';

        private static bool IsFlowSeparator(char c) => c is ' ' or '\t' || IsFlowIndicator(c);

        private YamlScalar ReadFlowQuoted(ref int p, bool key)
        {
            int line = _line, column = Column(p);
            bool single = _t[p] == '\'';
            string value = single ? ReadSingleQuoted(p, key, out int end) : ReadDoubleQuoted(p, key, out end);
            p = end;
            return new YamlScalar(value, line, column, single ? ScalarStyle.SingleQuoted : ScalarStyle.DoubleQuoted);
        }

        /// <summary>A one-line plain scalar in a flow collection; ends at a flow indicator, ": ", " #" or the line end.</summary>
        private YamlScalar ReadFlowPlain(ref int p, bool key)
        {
            int start = p;
            char c = _t[p];
            if (IsIndicator(c) && (c != '-' || p + 1 == _le || IsFlowSeparator(_t[p + 1])))
                throw GiveUp(); // ":x" and "?x" start differently in YamlDotNet's flow scanner

            while (p < _le)
            {
                c = _t[p];
                if (IsFlowIndicator(c))
                    break;
                if (c == ':' && (p + 1 == _le || !IsUrlCharacter(_t[p + 1])))
                    break; // the value indicator, or a ':' this reader leaves to YamlDotNet
                if (c is '#' or '*' && _t[p - 1] is (' ' or '\t'))
                {
                    if (c == '*')
                        throw GiveUp(); // YamlDotNet reads "a *b: c" as one scalar
                    break;
                }
                p++;
            }
            int end = p;
            while (_t[end - 1] is ' ' or '\t')
                end--;
            if (key && end - start > MaxKeyLength)
                throw GiveUp();
            return new YamlScalar(Value(_t.AsSpan(start, end - start), key), _line, Column(start));
        }
    }
}
