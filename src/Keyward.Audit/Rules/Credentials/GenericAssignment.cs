using System.Buffers;

namespace Keyward.Audit.Rules.Credentials;

/// <summary>
/// Where the generic-api-key pattern can match in an ASCII line, found with a few character tests: its regex, tried
/// at every position of a line, costs microseconds per line, and most lines with "key" or "api" hold no assignment.
/// </summary>
/// <remarks>
/// A match of <c>[\w.-]{0,50}?KEYWORD[ \t\w.-]{0,20}[\s'"]{0,3}SEPARATOR[`'"\s=]{0,5}VALUE</c> needs a keyword
/// occurrence followed, within 23 characters of the two middle classes, by a separator, then at most 5 quote, space
/// or '=' characters, then at least 10 value characters; and it starts at most 50 word, '.' or '-' characters before
/// that keyword. The test here is looser than the regex (it never rejects a keyword the regex could use), so a match
/// can only start in the stretch before a keyword that passes it.
/// </remarks>
internal static class GenericAssignment
{
    /// <summary>The keyword alternation of the regex (compared case-insensitively: a superset of its <c>[Aa]pi|API</c>).</summary>
    private static readonly string[] Keywords = ["access", "auth", "api", "credential", "creds", "key", "passwd", "password", "secret", "token"];

    private static readonly SearchValues<string> KeywordSearch = SearchValues.Create(Keywords, StringComparison.OrdinalIgnoreCase);

    /// <summary>The regex's separators: <c>=|&gt;|:{1,3}=|\|\||:|=&gt;|\?=|,</c>.</summary>
    private static readonly string[] Separators = ["=", ">", ":=", "::=", ":::=", "||", ":", "=>", "?=", ","];

    private static readonly SearchValues<char> SeparatorStart = SearchValues.Create("=>:|?,");

    /// <summary><c>[\w.-]</c> on ASCII: what may precede the keyword.</summary>
    private static readonly SearchValues<char> Prefix = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary><c>[ \t\w.-]</c> and <c>[\s'"]</c> together: what may come between the keyword and the separator.</summary>
    private static readonly SearchValues<char> Middle = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.- \t\n\v\f\r'\"");

    /// <summary><c>[`'"\s=]</c>: what may come between the separator and the value.</summary>
    private static readonly SearchValues<char> Gap = SearchValues.Create("`'\" \t\n\v\f\r=");

    /// <summary><c>[\w.=-]</c> and <c>[a-z0-9+/]</c> (case-insensitive) together: the value's characters.</summary>
    private static readonly SearchValues<char> Value = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.=-+/");

    private const int MaxPrefix = 50;
    private const int MaxMiddle = 20 + 3;
    private const int MaxGap = 5;
    private const int MinValue = 10;

    /// <summary>
    /// The positions of <paramref name="line"/> (ASCII) from which a match using the next keyword at or after
    /// <paramref name="from"/> that passes the test can start: from at most 50 prefix characters before it up to the
    /// keyword itself. False when no keyword after <paramref name="from"/> passes.
    /// </summary>
    public static bool Candidates(ReadOnlySpan<char> line, int from, out int first, out int last)
    {
        int search = from;
        while (search < line.Length)
        {
            int hit = line[search..].IndexOfAny(KeywordSearch);
            if (hit < 0)
                break;
            hit += search;
            int length = KeywordLength(line, hit);
            if (length > 0 && HasSeparatorAndValue(line, hit + length))
            {
                first = Math.Max(EarliestStart(line, hit), from);
                last = hit;
                return true;
            }
            search = hit + 1;
        }
        first = last = -1;
        return false;
    }

    private static int EarliestStart(ReadOnlySpan<char> line, int keyword)
    {
        int start = keyword;
        while (start > 0 && keyword - start < MaxPrefix && Prefix.Contains(line[start - 1]))
            start--;
        return start;
    }

    /// <summary>The length of the keyword at <paramref name="at"/> (no keyword is a prefix of another), or 0.</summary>
    private static int KeywordLength(ReadOnlySpan<char> line, int at)
    {
        foreach (var keyword in Keywords)
        {
            if (StartsWithIgnoreCase(line, at, keyword))
                return keyword.Length;
        }
        return 0;
    }

    /// <summary>ASCII case-insensitive prefix test against a lowercase word: c | 0x20 maps only A-Z onto a-z.</summary>
    private static bool StartsWithIgnoreCase(ReadOnlySpan<char> line, int at, string lowercase)
    {
        if (line.Length - at < lowercase.Length)
            return false;
        for (int j = 0; j < lowercase.Length; j++)
        {
            if ((line[at + j] | 0x20) != lowercase[j])
                return false;
        }
        return true;
    }

    private static bool HasSeparatorAndValue(ReadOnlySpan<char> line, int afterKeyword)
    {
        for (int i = afterKeyword; i < line.Length && i - afterKeyword <= MaxMiddle; i++)
        {
            if (SeparatorStart.Contains(line[i]))
            {
                foreach (var separator in Separators)
                {
                    if (line[i..].StartsWith(separator, StringComparison.Ordinal) && HasValue(line, i + separator.Length))
                        return true;
                }
            }
            if (!Middle.Contains(line[i]))
                return false;
        }
        return false;
    }

    private static bool HasValue(ReadOnlySpan<char> line, int afterSeparator)
    {
        for (int v = afterSeparator; v <= line.Length - MinValue && v - afterSeparator <= MaxGap; v++)
        {
            if (!line.Slice(v, MinValue).ContainsAnyExcept(Value))
                return true;
            if (!Gap.Contains(line[v]))
                return false;
        }
        return false;
    }
}
