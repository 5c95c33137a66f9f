namespace Keyward.Ovh.Rules;

/// <summary>
/// The pattern language of access-rule paths: <c>*</c> matches any run of characters (across <c>/</c>), everything
/// else matches itself. Equivalent to the regex <c>^escaped(path).Replace("\*", ".*")$</c>, without building one.
/// </summary>
internal static class RuleGlob
{
    /// <summary>
    /// Whether <paramref name="pattern"/> matches the whole of <paramref name="text"/>. The literal pieces between stars are
    /// compared with vectorized span searches: the first must start the text, the last must end it, the others are found
    /// in order, each at its leftmost place (which is always a right choice when <c>*</c> is the only wildcard).
    /// </summary>
    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int first = pattern.IndexOf('*');
        if (first < 0)
            return pattern.SequenceEqual(text);
        int last = pattern.LastIndexOf('*');
        var head = pattern[..first];
        var tail = pattern[(last + 1)..];
        if (text.Length < head.Length + tail.Length || !text.StartsWith(head) || !text.EndsWith(tail))
            return false;
        var rest = text[head.Length..^tail.Length];
        var inner = first == last ? [] : pattern[(first + 1)..last];
        while (!inner.IsEmpty)
        {
            int star = inner.IndexOf('*');
            var piece = star < 0 ? inner : inner[..star];
            if (!piece.IsEmpty)
            {
                int at = rest.IndexOf(piece);
                if (at < 0)
                    return false;
                rest = rest[(at + piece.Length)..];
            }
            inner = star < 0 ? [] : inner[(star + 1)..];
        }
        return true;
    }

    /// <summary>
    /// Whether the calls <paramref name="narrow"/> allows are all allowed by <paramref name="wide"/>: <paramref name="wide"/>
    /// matches the text of <paramref name="narrow"/> when each <c>*</c> of <paramref name="narrow"/> can only be consumed by a
    /// <c>*</c> of <paramref name="wide"/>. Sound: a true answer is always right; a false answer may be conservative
    /// for exotic patterns, which then count as granting more than needed.
    /// </summary>
    public static bool Covers(ReadOnlySpan<char> wide, ReadOnlySpan<char> narrow) => Match(wide, narrow, textStarsAreLiteral: true);

    // Classic greedy wildcard matching with one backtrack point, where a star of the text can only be consumed by a star
    // of the pattern: linear in practice, O(n*m) at worst.
    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool textStarsAreLiteral)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t] && !(textStarsAreLiteral && text[t] == '*'))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }
}
