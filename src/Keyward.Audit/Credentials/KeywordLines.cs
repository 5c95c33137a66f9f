using System.Runtime.CompilerServices;

namespace Keyward.Audit.Credentials;

/// <summary>
/// Finds, in one pass over a text, the lines each pattern of a set must run on: the lines holding one of its
/// keywords (ignoring ASCII case). One search for the keywords of all the set's patterns instead of one per pattern;
/// every occurrence in such a line is then attributed to the patterns whose keyword it is.
/// </summary>
internal sealed class KeywordLines
{
    /// <summary>Built once per pattern list (the rules pass the same list each time).</summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<CredentialPattern>, KeywordLines> Cache = [];

    private readonly AsciiKeywords _all;
    private readonly string[] _keywords;
    private readonly int[][] _patternsOf;
    private readonly int _patternCount;
    private readonly int _longest;

    private KeywordLines(IReadOnlyList<CredentialPattern> patterns)
    {
        var byKeyword = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        for (int p = 0; p < patterns.Count; p++)
        {
            foreach (var keyword in patterns[p].Keywords)
            {
                if (!byKeyword.TryGetValue(keyword, out var list))
                    byKeyword[keyword] = list = [];
                if (!list.Contains(p))
                    list.Add(p);
            }
        }
        _keywords = [.. byKeyword.Keys.Select(k => k.ToLowerInvariant())];
        _patternsOf = [.. byKeyword.Values.Select(l => l.ToArray())];
        _all = new AsciiKeywords(_keywords);
        _longest = _all.Longest;
        _patternCount = patterns.Count;
        var byPair = new Dictionary<int, List<int>>();
        var single = new List<int>();
        for (int k = 0; k < _keywords.Length; k++)
        {
            if (_keywords[k].Length < 2)
            {
                single.Add(k);
                continue;
            }
            int pair = _keywords[k][0] << 7 | _keywords[k][1];
            if (!byPair.TryGetValue(pair, out var list))
                byPair[pair] = list = [];
            list.Add(k);
        }
        foreach (var (pair, list) in byPair)
            _keywordsByPair[pair] = [.. list];
        _singleCharKeywords = [.. single];
    }

    /// <summary>The keywords (indexes) by their first two characters, lowercase: an occurrence is compared with those only.</summary>
    private readonly Dictionary<int, int[]> _keywordsByPair = [];
    private readonly int[] _singleCharKeywords;

    public static KeywordLines For(IReadOnlyList<CredentialPattern> patterns) => Cache.GetValue(patterns, p => new KeywordLines(p));

    /// <summary>Whether any keyword of the set occurs: when none does, no pattern of the set can match the text.</summary>
    public bool AnyIn(ReadOnlySpan<char> text) => _all.ContainsAny(text);

    /// <summary>
    /// <see cref="AnyIn"/> of <c>first + separator + second</c> without building that string: a short join is
    /// copied to the stack and searched once; a long one is searched part by part, then where a keyword could
    /// straddle the parts (the last and first keyword-length - 1 characters around the separator).
    /// </summary>
    public bool AnyInJoined(ReadOnlySpan<char> first, ReadOnlySpan<char> separator, ReadOnlySpan<char> second)
    {
        int joined = first.Length + separator.Length + second.Length;
        if (joined <= 256)
        {
            // Short (most ConfigMap entries): copying is cheaper than the setup of three more searches.
            Span<char> all = stackalloc char[joined];
            first.CopyTo(all);
            separator.CopyTo(all[first.Length..]);
            second.CopyTo(all[(first.Length + separator.Length)..]);
            return AnyIn(all);
        }
        if (AnyIn(first) || AnyIn(separator) || AnyIn(second))
            return true;
        int reach = _longest - 1;
        if (reach <= 0)
            return false;
        var head = first[Math.Max(0, first.Length - reach)..];
        var tail = second[..Math.Min(second.Length, reach)];
        int length = head.Length + separator.Length + tail.Length;
        Span<char> join = length <= 512 ? stackalloc char[length] : new char[length];
        head.CopyTo(join);
        separator.CopyTo(join[head.Length..]);
        tail.CopyTo(join[(head.Length + separator.Length)..]);
        return AnyIn(join);
    }

    /// <summary>For each pattern, its keyword lines in order (start, and end before any \r); null where it has none.</summary>
    public List<(int Start, int End)>?[] Find(string text)
    {
        var lines = new List<(int Start, int End)>?[_patternCount];
        int from = 0;
        while (from < text.Length)
        {
            int hit = _all.IndexOfAny(text.AsSpan(from));
            if (hit < 0)
                break;
            hit += from;
            var (start, end, next) = CredentialScanner.LineAround(text, hit);
            // Every keyword occurrence of the line (none holds \r or \n), each credited to its patterns.
            for (int at = hit; at >= 0;)
            {
                Credit(text.AsSpan(at, end - at), (start, end), lines);
                int more = at + 1 < end ? _all.IndexOfAny(text.AsSpan(at + 1, end - at - 1)) : -1;
                at = more < 0 ? -1 : at + 1 + more;
            }
            from = next;
        }
        return lines;
    }

    private void Credit(ReadOnlySpan<char> rest, (int Start, int End) line, List<(int Start, int End)>?[] lines)
    {
        foreach (int k in _singleCharKeywords)
            Credit(rest, k, line, lines);
        if (rest.Length >= 2 && rest[0] < 128 && rest[1] < 128
            && _keywordsByPair.TryGetValue(Lower(rest[0]) << 7 | Lower(rest[1]), out var candidates))
        {
            foreach (int k in candidates)
                Credit(rest, k, line, lines);
        }
    }

    private void Credit(ReadOnlySpan<char> rest, int keyword, (int Start, int End) line, List<(int Start, int End)>?[] lines)
    {
        if (!AsciiKeywords.StartsWith(rest, _keywords[keyword]))
            return;
        foreach (int p in _patternsOf[keyword])
        {
            var list = lines[p] ??= [];
            if (list.Count == 0 || list[^1].Start != line.Start)
                list.Add(line);
        }
    }

    private static int Lower(char c) => c is >= 'A' and <= 'Z' ? c | 0x20 : c;
}
