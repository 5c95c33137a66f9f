namespace Keyward.Manifests.Yaml;

internal static partial class FastManifestReader
{
    private sealed partial class Parser
    {
        private const string CoreTagPrefix = "tag:yaml.org,2002:";
        private const int MaxInternedValue = 24; // short values repeat (kinds, versions, booleans); long ones rarely do
        private const int MaxKeyLength = 1000; // YamlDotNet refuses implicit keys past 1024 characters

        private char[] _buf = new char[256];
        private int _bufLength;

        private void Append(char c)
        {
            if (_bufLength == _buf.Length)
                Array.Resize(ref _buf, _buf.Length * 2);
            _buf[_bufLength++] = c;
        }

        private void Append(ReadOnlySpan<char> s)
        {
            if (_bufLength + s.Length > _buf.Length)
                Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _bufLength + s.Length));
            s.CopyTo(_buf.AsSpan(_bufLength));
            _bufLength += s.Length;
        }

        private string Value(ReadOnlySpan<char> s, bool key) =>
            key || s.Length <= MaxInternedValue ? Intern(s) : s.ToString();

        /// <summary>Characters that cannot start a plain scalar (some can when a non-space follows: "-x", ":x", "?x").</summary>
        private static bool IsIndicator(char c) => c is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*'
            or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`';

        private static bool IsFlowIndicator(char c) => c is ',' or '[' or ']' or '{' or '}';

        /// <summary>
        /// A one-line plain or quoted scalar in block context at <paramref name="i"/>. When a ':' and a space (or the
        /// line end) follow, it is a key: <paramref name="isKey"/> is set and <paramref name="next"/> is after the ':'.
        /// Otherwise <paramref name="next"/> is where the rest of the line (spaces, a comment) starts.
        /// </summary>
        private YamlScalar ReadScalarOrKey(int i, out int next, out bool isKey, bool key)
        {
            int line = _line, column = Column(i);
            char c = _t[i];
            if (c is '"' or '\'')
            {
                string quoted = c == '"' ? ReadDoubleQuoted(i, key, out int end) : ReadSingleQuoted(i, key, out end);
                int j = SkipSpaces(end);
                isKey = j < _le && _t[j] == ':' && (j + 1 == _le || _t[j + 1] == ' ');
                next = isKey ? j + 1 : end;
                return new YamlScalar(quoted, line, column, c == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted);
            }
            if (IsIndicator(c) && (c != '-' || i + 1 == _le || _t[i + 1] == ' '))
                throw GiveUp(); // anchors, aliases, complex keys, reserved characters, a stray flow indicator, ":x"
            isKey = false;
            int p = i, stop;
            while (true)
            {
                int k = _t.AsSpan(p, _le - p).IndexOfAny(':', '#', '*');
                if (k < 0)
                {
                    stop = _le;
                    break;
                }
                p += k;
                if (_t[p] == ':')
                {
                    if (p + 1 == _le || _t[p + 1] == ' ')
                    {
                        isKey = true;
                        stop = p;
                        break;
                    }
                }
                else if (_t[p - 1] == ' ')
                {
                    if (_t[p] == '*')
                        throw GiveUp(); // YamlDotNet reads "a *b: c" as one scalar
                    stop = p; // a comment
                    break;
                }
                p++;
            }
            int valueEnd = stop;
            while (_t[valueEnd - 1] == ' ')
                valueEnd--;
            if (isKey && valueEnd - i > MaxKeyLength)
                throw GiveUp();
            next = isKey ? stop + 1 : valueEnd;
            return new YamlScalar(Value(_t.AsSpan(i, valueEnd - i), key || isKey), line, column);
        }

        /// <summary>A single-quoted scalar that ends on its line; <paramref name="end"/> is after the closing quote.</summary>
        private string ReadSingleQuoted(int i, bool key, out int end)
        {
            int p = i + 1;
            _bufLength = 0;
            bool escaped = false;
            while (true)
            {
                int k = _t.AsSpan(p, _le - p).IndexOf('\'');
                if (k < 0)
                    throw GiveUp(); // multi-line or unterminated
                if (p + k + 1 < _le && _t[p + k + 1] == '\'')
                {
                    Append(_t.AsSpan(p, k + 1));
                    p += k + 2;
                    escaped = true;
                    continue;
                }
                end = p + k + 1;
                if (!escaped)
                    return Value(_t.AsSpan(p, k), key);
                Append(_t.AsSpan(p, k));
                return Value(_buf.AsSpan(0, _bufLength), key);
            }
        }

        /// <summary>A double-quoted scalar that ends on its line, with the common escapes; gives up on rare ones.</summary>
        private string ReadDoubleQuoted(int i, bool key, out int end)
        {
            int p = i + 1;
            _bufLength = 0;
            bool escaped = false;
            while (true)
            {
                int k = _t.AsSpan(p, _le - p).IndexOfAny('"', '\\');
                if (k < 0)
                    throw GiveUp(); // multi-line or unterminated
                if (_t[p + k] == '"')
                {
                    end = p + k + 1;
                    if (!escaped)
                        return Value(_t.AsSpan(p, k), key);
                    Append(_t.AsSpan(p, k));
                    return Value(_buf.AsSpan(0, _bufLength), key);
                }
                escaped = true;
                Append(_t.AsSpan(p, k));
                p += k + 1;
                if (p >= _le)
                    throw GiveUp(); // an escaped line break
                char e = _t[p++];
                switch (e)
                {
                    case '0': Append('\0'); break;
                    case 'a': Append('\a'); break;
                    case 'b': Append('\b'); break;
                    case 't': Append('\t'); break;
                    case 'n': Append('\n'); break;
                    case 'v': Append('\v'); break;
                    case 'f': Append('\f'); break;
                    case 'r': Append('\r'); break;
                    case 'e': Append('\u001b'); break;
                    case ' ' or '"' or '/' or '\\': Append(e); break;
                    case 'N': Append('\u0085'); break;
                    case '_': Append('\u00a0'); break;
                    case 'L': Append('\u2028'); break;
                    case 'P': Append('\u2029'); break;
                    case 'x' or 'u':
                        int digits = e == 'x' ? 2 : 4;
                        if (p + digits > _le)
                            throw GiveUp();
                        int code = 0;
                        for (int d = 0; d < digits; d++)
                        {
                            int h = HexValue(_t[p + d]);
                            if (h < 0)
                                throw GiveUp();
                            code = code * 16 + h;
                        }
                        if (code is >= 0xD800 and <= 0xDFFF)
                            throw GiveUp(); // surrogate halves: YamlDotNet's handling is its own
                        Append((char)code);
                        p += digits;
                        break;
                    default:
                        throw GiveUp(); // \U, and escapes YAML does not have
                }
            }
        }

        private static int HexValue(char c) => c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };

        /// <summary>A "!name" or "!!name" tag at <paramref name="i"/>; returns the index after it.</summary>
        private int ReadTag(int i, out string tag)
        {
            int p = i + 1;
            bool core = p < _le && _t[p] == '!';
            if (core)
                p++;
            int nameStart = p;
            while (p < _le && (char.IsAsciiLetterOrDigit(_t[p]) || _t[p] is '-' or '_' or '.' or '/'))
                p++;
            if (p == nameStart)
                throw GiveUp(); // "!", verbatim "!<...>", named handles
            var name = _t.AsSpan(nameStart, p - nameStart);
            tag = Intern(core ? string.Concat(CoreTagPrefix, name) : _t.AsSpan(i, p - i));
            return p;
        }

        /// <summary>
        /// A literal or folded block scalar whose indicator is at <paramref name="i"/>, inside a block collection
        /// indented <paramref name="parentIndent"/> (-1 at the top); the scan follows YamlDotNet's (libyaml's).
        /// </summary>
        private YamlScalar ReadBlockScalar(int i, int parentIndent, int line, int column, string? tag)
        {
            bool literal = _t[i] == '|';
            int chomp = 0, increment = 0; // chomp: -1 strip, 0 clip, +1 keep
            int p = i + 1;
            for (int n = 0; n < 2 && p < _le; n++, p++)
            {
                char c = _t[p];
                if (c is '-' or '+' && chomp == 0)
                    chomp = c == '-' ? -1 : 1;
                else if (c is >= '1' and <= '9' && increment == 0)
                    increment = c - '0';
                else
                    break;
            }
            if (p < _le && _t[p] != ' ')
                throw GiveUp();
            FinishLine(p);

            int minIndent = Math.Max(parentIndent + 1, 1);
            int trailingBreaks = 0, maxBlank = 0;
            // Blank lines before the first content line only count when they are indented less than any content
            // could be: YamlDotNet fails on deeper ones in cases this reader does not copy ("found extra spaces in
            // first line", "found more spaces in lines above first content line").
            while (!_eof && SkipSpaces(_ls) == _le)
            {
                RefuseTabs();
                if (_le - _ls >= Math.Min(minIndent, 2))
                    throw GiveUp();
                maxBlank = Math.Max(maxBlank, _le - _ls);
                if (_le < _t.Length)
                    trailingBreaks++;
                NextLine();
            }
            int contentIndent = _eof ? 0 : SkipSpaces(_ls) - _ls;
            if (maxBlank > contentIndent)
                throw GiveUp();
            int indent;
            if (increment > 0)
            {
                if (parentIndent < 0)
                    throw GiveUp(); // an explicit indentation at the top level
                indent = parentIndent + increment;
            }
            else
            {
                // The first content line sets the indentation.
                if (!_eof && parentIndent < 0 && contentIndent == 0)
                    throw GiveUp(); // YamlDotNet lets a top-level block scalar take lines at column 1, markers included
                indent = Math.Max(contentIndent, minIndent);
            }

            _bufLength = 0;
            bool leadingBreak = false, leadingBlank = false;
            trailingBreaks += ScanBreaks(indent);
            while (!_eof && IsContentLine(indent))
            {
                RefuseTabs();
                int start = _ls + indent;
                bool trailingBlank = _t[start] == ' ';
                if (!literal && leadingBreak && !leadingBlank && !trailingBlank)
                {
                    if (trailingBreaks == 0)
                        Append(' ');
                }
                else if (leadingBreak)
                {
                    Append('\n');
                }
                leadingBreak = false;
                for (; trailingBreaks > 0; trailingBreaks--)
                    Append('\n');
                leadingBlank = trailingBlank;
                Append(_t.AsSpan(start, _le - start));
                bool lastLine = _le == _t.Length;
                NextLine();
                if (lastLine)
                    break;
                leadingBreak = true;
                trailingBreaks = ScanBreaks(indent);
            }
            if (chomp >= 0 && leadingBreak)
                Append('\n');
            if (chomp > 0)
            {
                for (; trailingBreaks > 0; trailingBreaks--)
                    Append('\n');
            }
            var value = _buf.AsSpan(0, _bufLength).ToString();
            return new YamlScalar(value, line, column, literal ? ScalarStyle.Literal : ScalarStyle.Folded, tag);
        }

        /// <summary>A line that continues a block scalar: at least <paramref name="indent"/> spaces and then something.</summary>
        private bool IsContentLine(int indent) =>
            _le - _ls > indent && SkipSpaces(_ls) - _ls >= indent;

        /// <summary>Skips the blank lines (no more than <paramref name="indent"/> spaces) that follow; returns how many end with a break.</summary>
        private int ScanBreaks(int indent)
        {
            int breaks = 0;
            while (!_eof && _le - _ls <= indent && SkipSpaces(_ls) == _le)
            {
                RefuseTabs();
                if (_le < _t.Length)
                    breaks++;
                NextLine();
            }
            return breaks;
        }
    }
}
