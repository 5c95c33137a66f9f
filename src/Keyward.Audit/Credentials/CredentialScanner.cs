using System.Text.RegularExpressions;

namespace Keyward.Audit.Credentials;

/// <summary>
/// Runs credential patterns over text. Keywords are found first (one vectorized search, ignoring ASCII case, for the
/// keywords of all the patterns), and each pattern's regex runs only on the lines where one of its keywords occurs;
/// then entropy, digit, stop-word and allowlist checks drop placeholders and words.
/// </summary>
public static class CredentialScanner
{
    private static readonly AsciiKeywords GlobalStopwords = new(["014df517-39d1-4453-b7b3-9930c563627c", "abcdefghijklmnopqrstuvwxyz"]);

    public static List<CredentialMatch> Scan(string text, IReadOnlyList<CredentialPattern> patterns, string? path = null) =>
        Scan(text, patterns, path, null);

    /// <param name="keywordLines">Each pattern's keyword lines when they are known already (<see cref="SharedKeywordLines"/>).</param>
    internal static List<CredentialMatch> Scan(string text, IReadOnlyList<CredentialPattern> patterns, string? path, List<(int Start, int End)>?[]? keywordLines)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(patterns);
        var results = new List<CredentialMatch>();
        if (patterns.Count == 0)
            return results;
        keywordLines ??= patterns.Count == 1 ? [Lines(text, patterns[0].KeywordSearch)] : KeywordLines.For(patterns).Find(text);
        for (int i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i];
            if (keywordLines[i] is not { } lines || pattern.PathFilter is { } filter && (path is null || !filter.IsMatch(path)))
                continue;
            if (pattern.MultiLine)
                ScanMultiLine(text, pattern, lines, results);
            else
                ScanLines(text, pattern, lines, results);
        }
        return results;
    }

    /// <summary>The lines holding one of the keywords (start, and end before any \r); null when there is none.</summary>
    private static List<(int Start, int End)>? Lines(string text, AsciiKeywords keywords)
    {
        List<(int Start, int End)>? lines = null;
        int from = 0;
        while (from < text.Length)
        {
            int hit = keywords.IndexOfAny(text.AsSpan(from));
            if (hit < 0)
                break;
            var (start, end, next) = LineAround(text, from + hit);
            (lines ??= []).Add((start, end));
            from = next;
        }
        return lines;
    }

    /// <summary>Runs the regex over each keyword line, every match of the line.</summary>
    private static void ScanLines(string text, CredentialPattern pattern, List<(int Start, int End)> lines, List<CredentialMatch> results)
    {
        var matches = new List<Match>();
        foreach (var (start, end) in lines)
        {
            matches.Clear();
            LineMatches(text, start, end, pattern, matches);
            foreach (var m in matches)
                Consider(pattern, m, text, results);
        }
    }

    /// <summary>
    /// The matches of the pattern in the line text[start..end), the ones <c>Match(text, start, end - start)</c> and
    /// <c>NextMatch</c> give, found the fastest way the pattern allows.
    /// </summary>
    internal static void LineMatches(string text, int start, int end, CredentialPattern pattern, List<Match> matches)
    {
        int length = end - start;
        if (pattern.AnchoredSearch is { } anchored && length <= CredentialPattern.BacktrackingLimit && IsAscii(text.AsSpan(start, length)))
        {
            CandidateMatches(text, start, end, anchored, matches);
            return;
        }
        for (var m = pattern.EngineFor(length).Match(text, start, length); m.Success; m = m.NextMatch())
            matches.Add(m);
    }

    private static bool IsAscii(ReadOnlySpan<char> line)
    {
        foreach (var c in line)
        {
            if (c > '\x7f')
                return false;
        }
        return true;
    }

    /// <summary>
    /// The matches of one ASCII line, trying the anchored regex only at candidate positions: leftmost first, and
    /// after a match from its end on, as <c>NextMatch</c> does.
    /// </summary>
    private static void CandidateMatches(string text, int start, int end, AnchoredSearch search, List<Match> matches)
    {
        var line = text.AsSpan(start, end - start);
        int from = 0;
        while (search.Candidates(line, from, out int first, out int last))
        {
            Match? found = null;
            for (int q = Math.Max(first, from); q <= last && found is null; q++)
            {
                var m = search.Anchored.Match(text, start + q, end - start - q);
                if (m.Success)
                    found = m;
            }
            if (found is null)
            {
                from = last + 1;
                continue;
            }
            matches.Add(found);
            // Go on from the end of the match, one further after an empty one.
            from = found.Index - start + Math.Max(found.Length, 1);
        }
    }

    /// <summary>
    /// Runs the regex from each keyword line to the end of the text, keeping a match that begins on that line.
    /// A match found beyond the line is kept for the next keyword lines (a search from a later line finds it
    /// again), and when a search finds nothing no later search can.
    /// </summary>
    private static void ScanMultiLine(string text, CredentialPattern pattern, List<(int Start, int End)> lines, List<CredentialMatch> results)
    {
        int scannedUpTo = -1;
        Match? pending = null;
        foreach (var (start, end) in lines)
        {
            if (start < scannedUpTo)
                continue;
            // Backtracking even on long texts: the lazy body stops at the first "KEY-----", so each search is linear.
            var m = pending is not null && pending.Index >= start ? pending : pattern.Regex.Match(text, start);
            if (!m.Success)
                return;
            pending = m;
            if (m.Index <= end)
            {
                Consider(pattern, m, text, results);
                scannedUpTo = m.Index + m.Length;
                pending = null;
            }
        }
    }

    /// <summary>The line holding <paramref name="offset"/>: its start, its end (before any \r) and where the next line starts.</summary>
    internal static (int Start, int End, int Next) LineAround(string text, int offset)
    {
        // Plain loops: lines are short.
        int start = offset;
        while (start > 0 && text[start - 1] != '\n')
            start--;
        int end = offset;
        while (end < text.Length && text[end] != '\n')
            end++;
        int next = end < text.Length ? end + 1 : end;
        if (end > start && text[end - 1] == '\r')
            end--;
        return (start, end, next);
    }

    private static void Consider(CredentialPattern pattern, Match m, string text, List<CredentialMatch> results)
    {
        var groups = m.Groups;
        Group secretGroup = groups[0];
        for (int g = 1; g < groups.Count; g++)
        {
            if (groups[g].Success && groups[g].Length > 0)
            {
                secretGroup = groups[g];
                break;
            }
        }
        var secretSpan = text.AsSpan(secretGroup.Index, secretGroup.Length);
        // Cheap checks first (entropy, digit, vectorized stop-word searches), the regexes last: all must pass.
        double entropy = Entropy.Shannon(secretSpan);
        if (pattern.MinEntropy > 0)
        {
            if (entropy <= pattern.MinEntropy)
                return;
            if (pattern.RequireDigit && !secretSpan.ContainsAnyInRange('0', '9'))
                return;
        }
        if (pattern.StopwordSearch is { } stop && stop.ContainsAny(secretSpan))
            return;
        if (GlobalStopwords.ContainsAny(secretSpan))
            return;
        var secret = secretGroup.Value;
        if (GlobalAllowlist.Allows(secret))
            return;
        foreach (var (target, regex) in pattern.Allowlist)
        {
            var subject = target switch
            {
                AllowTarget.Match => m.Value,
                AllowTarget.Line => LineOf(text, m.Index),
                _ => secret,
            };
            if (regex.IsMatch(subject))
                return;
        }
        // A pattern's matches come in order of offset, so a repeat can only be among the last ones: looking back
        // through all of them made a file with tens of thousands of matches quadratic. (The engine's filter drops
        // any repeat this misses, as one finding per secret and line.)
        for (int i = results.Count - 1; i >= 0 && results[i].Pattern == pattern && results[i].Offset >= secretGroup.Index; i--)
        {
            if (results[i].Offset == secretGroup.Index)
                return;
        }
        results.Add(new CredentialMatch(pattern, secret, secretGroup.Index, m.Value, entropy));
    }

    private static string LineOf(string text, int offset)
    {
        var (start, end, _) = LineAround(text, offset);
        return text[start..end];
    }
}
