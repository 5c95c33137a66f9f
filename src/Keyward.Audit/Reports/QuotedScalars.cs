using System.Globalization;
using System.Text;

namespace Keyward.Audit.Reports;

/// <summary>
/// The quoted strings of one line of YAML or JSON and what they say once unescaped: a secret written
/// <c>"Zr7\"Lq2"</c> or <c>'it''s'</c> is not the parsed value character for character, and masking must find it.
/// Every quote starts a candidate, not only those a left-to-right pairing would call openings: one stray quote
/// (<c>don't</c>, or a line cut from a longer one) would pair every later quote the wrong way round. Each scan stops at
/// the next closing quote, so the work stays linear in the line; candidates that are the text between two strings
/// decode to something nobody asks about.
/// </summary>
internal static class QuotedScalars
{
    /// <summary>Each closed quoted string that starts at a quote: the range of its content (quotes excluded) and its unescaped value.</summary>
    public static IEnumerable<(int Start, int End, string Value)> In(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        for (int i = 0; i < line.Length; i++)
        {
            char quote = line[i];
            if (quote is not ('"' or '\''))
                continue;
            int close = quote == '"' ? DoubleQuotedEnd(line, i + 1) : SingleQuotedEnd(line, i + 1);
            if (close < 0)
                continue;
            var content = line.AsSpan(i + 1, close - i - 1);
            yield return (i + 1, close, quote == '"' ? UnescapeDouble(content) : content.ToString().Replace("''", "'", StringComparison.Ordinal));
        }
    }

    private static int DoubleQuotedEnd(string line, int from)
    {
        for (int i = from; i < line.Length; i++)
        {
            if (line[i] == '\\')
                i++;
            else if (line[i] == '"')
                return i;
        }
        return -1;
    }

    private static int SingleQuotedEnd(string line, int from)
    {
        for (int i = from; i < line.Length; i++)
        {
            if (line[i] != '\'')
                continue;
            if (i + 1 < line.Length && line[i + 1] == '\'')
                i++;
            else
                return i;
        }
        return -1;
    }

    /// <summary>JSON's escapes and YAML's double-quoted ones (a superset); an escape it does not know stays as written.</summary>
    private static string UnescapeDouble(ReadOnlySpan<char> s)
    {
        if (!s.Contains('\\'))
            return s.ToString();
        var value = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 == s.Length)
            {
                value.Append(s[i]);
                continue;
            }
            char e = s[++i];
            int hexDigits = e switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
            if (hexDigits > 0)
            {
                if (i + hexDigits < s.Length
                    && int.TryParse(s.Slice(i + 1, hexDigits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
                    && code is >= 0 and <= 0x10FFFF)
                {
                    // JSON writes a character past U+FFFF as two \u escapes, one surrogate each.
                    value.Append(char.IsSurrogate((char)code) && code <= 0xFFFF ? ((char)code).ToString() : char.ConvertFromUtf32(code));
                    i += hexDigits;
                }
                else
                    value.Append('\\').Append(e);
                continue;
            }
            value.Append(e switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'b' => '\b',
                'f' => '\f',
                '0' => '\0',
                'a' => '\a',
                'v' => '\v',
                'e' => '\u001B',
                'N' => '\u0085',
                '_' => '\u00A0',
                'L' => '\u2028',
                'P' => '\u2029',
                _ => e, // \" \\ \/ \  and \<tab>, and any other character as itself
            });
        }
        return value.ToString();
    }
}
