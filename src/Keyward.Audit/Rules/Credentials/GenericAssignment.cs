using System.Runtime.CompilerServices;
using Keyward.Audit.Credentials;

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
    /// <summary>The regex's separators: <c>=|&gt;|:{1,3}=|\|\||:|=&gt;|\?=|,</c>.</summary>
    private static readonly string[] Separators = ["=", ">", ":=", "::=", ":::=", "||", ":", "=>", "?=", ","];

    /// <summary>
    /// The regex keywords, case-insensitive. On ASCII lines (the only ones this class sees) ignoring case is exactly
    /// <see cref="KeywordLength"/>'s comparison.
    /// </summary>
    private static readonly AsciiKeywords Keywords =
        new(["access", "auth", "api", "credential", "creds", "key", "passwd", "password", "secret", "token"]);

    private static readonly AsciiSet SeparatorStart = new("=>:|?,");

    /// <summary><c>[\w.-]</c> on ASCII: what may precede the keyword.</summary>
    private static readonly AsciiSet Prefix = new("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary><c>[ \t\w.-]</c> and <c>[\s'"]</c> together: what may come between the keyword and the separator.</summary>
    private static readonly AsciiSet Middle = new("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.- \t\n\v\f\r'\"");

    /// <summary><c>[`'"\s=]</c>: what may come between the separator and the value.</summary>
    private static readonly AsciiSet Gap = new("`'\" \t\n\v\f\r=");

    /// <summary><c>[\w.=-]</c> and <c>[a-z0-9+/]</c> (case-insensitive) together: the value's characters.</summary>
    private static readonly AsciiSet Value = new("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.=-+/");

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
        // A vectorized search from keyword to keyword: most keyword lines (a ConfigMap's "key_12: ...") fail the test
        // at their first keyword, and testing every later character by hand cost more than the regex it saves.
        for (int hit = from; hit < line.Length; hit++)
        {
            int next = Keywords.IndexOfAny(line[hit..]);
            if (next < 0)
                break;
            hit += next;
            int length = KeywordLength(line, hit);
            if (length > 0 && HasSeparatorAndValue(line, hit + length))
            {
                first = Math.Max(EarliestStart(line, hit), from);
                last = hit;
                return true;
            }
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

    /// <summary>
    /// The length of the regex keyword at <paramref name="at"/>, compared case-insensitively (so a superset of its
    /// <c>[Aa]pi|API</c>), or 0: access, auth, api, credential, creds, key, passwd, password, secret, token.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int KeywordLength(ReadOnlySpan<char> line, int at)
    {
        var rest = line[at..];
        return (rest[0] | 0x20) switch
        {
            'a' => Is(rest, "access") ? 6 : Is(rest, "auth") ? 4 : Is(rest, "api") ? 3 : 0,
            'c' => Is(rest, "credential") ? 10 : Is(rest, "creds") ? 5 : 0,
            'k' => Is(rest, "key") ? 3 : 0,
            'p' => Is(rest, "password") ? 8 : Is(rest, "passwd") ? 6 : 0,
            's' => Is(rest, "secret") ? 6 : 0,
            't' => Is(rest, "token") ? 5 : 0,
            _ => 0,
        };
    }

    /// <summary>
    /// Whether <paramref name="rest"/>, whose first character already matched, starts with the lowercase word,
    /// ignoring ASCII case: c | 0x20 maps only A-Z onto a-z.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Is(ReadOnlySpan<char> rest, string lowercase)
    {
        if (rest.Length < lowercase.Length)
            return false;
        for (int j = 1; j < lowercase.Length; j++)
        {
            if ((rest[j] | 0x20) != lowercase[j])
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
            if (AllIn(line.Slice(v, MinValue), Value))
                return true;
            if (!Gap.Contains(line[v]))
                return false;
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllIn(ReadOnlySpan<char> chars, AsciiSet set)
    {
        foreach (var c in chars)
        {
            if (!set.Contains(c))
                return false;
        }
        return true;
    }

    /// <summary>A set of ASCII characters as a 128-bit map: a test is two instructions, inlined.</summary>
    private readonly struct AsciiSet
    {
        private readonly ulong _low;
        private readonly ulong _high;

        public AsciiSet(string chars)
        {
            foreach (var c in chars)
            {
                if (c < 64)
                    _low |= 1UL << c;
                else
                    _high |= 1UL << (c - 64);
            }
        }

        public bool Contains(char c) => c < 64 ? (_low >> c & 1) != 0 : c < 128 && (_high >> (c - 64) & 1) != 0;
    }
}
