using System.Buffers;
using System.Text.RegularExpressions;

namespace Keyward.Audit.Credentials;

/// <summary>
/// Runs credential patterns over text. Keywords are found first (a vectorized case-insensitive search), and each
/// pattern's regex runs only on the lines where one of its keywords occurs; then entropy, digit, allowlist and
/// stop-word checks drop placeholders and words.
/// </summary>
public static class CredentialScanner
{
    /// <summary>Values that are never secrets whatever the pattern: templating, variables, booleans (after gitleaks' global allowlist).</summary>
    private static readonly Regex[] GlobalAllowlist =
    [
        .. new[]
        {
            @"(?i)^(?:true|false|null)$",
            @"^(?i:a+|b+|c+|d+|e+|f+|g+|h+|i+|j+|k+|l+|m+|n+|o+|p+|q+|r+|s+|t+|u+|v+|w+|x+|y+|z+|\*+|\.+)$",
            @"^\$(?:\d+|\{\d+\})$",
            @"^\$(?:[A-Z_]+|[a-z_]+)$",
            @"^\$\{(?:[A-Z_]+|[a-z_]+)\}$",
            @"^\{\{[ \t]*[\w ().|]+[ \t]*\}\}$",
            @"^\$\{\{[ \t]*(?:(?:env|github|secrets|vars)(?:\.[A-Za-z]\w+)+[\w ""'&./=|]*)[ \t]*\}\}$",
            @"^%(?:[A-Z_]+|[a-z_]+)%$",
            @"^@(?:[A-Z_]+|[a-z_]+)@$",
        }.Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant)),
    ];

    private static readonly SearchValues<string> GlobalStopwords =
        SearchValues.Create(["014df517-39d1-4453-b7b3-9930c563627c", "abcdefghijklmnopqrstuvwxyz"], StringComparison.OrdinalIgnoreCase);

    public static List<CredentialMatch> Scan(string text, IReadOnlyList<CredentialPattern> patterns, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(patterns);
        var results = new List<CredentialMatch>();
        int[]? lineStarts = null;
        foreach (var pattern in patterns)
        {
            if (pattern.PathFilter is { } filter && (path is null || !filter.IsMatch(path)))
                continue;
            var lines = KeywordLines(text, pattern, ref lineStarts);
            if (lines is null)
                continue;
            int scannedUpTo = -1;
            foreach (var line in lines)
            {
                int start = lineStarts![line];
                if (start < scannedUpTo)
                    continue;
                if (pattern.MultiLine)
                {
                    var m = pattern.Regex.Match(text, start);
                    if (m.Success && m.Index <= LineEnd(text, lineStarts, line))
                    {
                        Consider(pattern, m, text, lineStarts, results);
                        scannedUpTo = m.Index + m.Length;
                    }
                    continue;
                }
                int end = LineEnd(text, lineStarts, line);
                for (var m = pattern.Regex.Match(text, start, end - start); m.Success; m = m.NextMatch())
                    Consider(pattern, m, text, lineStarts, results);
            }
        }
        return results;
    }

    private static void Consider(CredentialPattern pattern, Match m, string text, int[] lineStarts, List<CredentialMatch> results)
    {
        Group secretGroup = m.Groups[0];
        for (int g = 1; g < m.Groups.Count; g++)
        {
            if (m.Groups[g].Success && m.Groups[g].Length > 0)
            {
                secretGroup = m.Groups[g];
                break;
            }
        }
        var secret = secretGroup.Value;
        if (GlobalAllowlist.Any(r => r.IsMatch(secret)))
            return;
        double entropy = Entropy.Shannon(secret);
        if (pattern.MinEntropy > 0)
        {
            if (entropy <= pattern.MinEntropy)
                return;
            if (pattern.RequireDigit && !secret.AsSpan().ContainsAnyInRange('0', '9'))
                return;
        }
        // Cheap checks first: one vectorized stop-word search, then the allowlist regexes.
        if (pattern.StopwordSearch is { } stop && secret.AsSpan().IndexOfAny(stop) >= 0)
            return;
        if (secret.AsSpan().IndexOfAny(GlobalStopwords) >= 0)
            return;
        foreach (var (target, regex) in pattern.Allowlist)
        {
            var subject = target switch
            {
                AllowTarget.Match => m.Value,
                AllowTarget.Line => LineOf(text, lineStarts, m.Index),
                _ => secret,
            };
            if (regex.IsMatch(subject))
                return;
        }
        if (results.Any(r => r.Offset == secretGroup.Index && r.Pattern == pattern))
            return;
        results.Add(new CredentialMatch(pattern, secret, secretGroup.Index, m.Value, entropy));
    }

    /// <summary>Sorted indexes of the lines holding a keyword; null when no keyword occurs (the regex is skipped).</summary>
    private static List<int>? KeywordLines(string text, CredentialPattern pattern, ref int[]? lineStarts)
    {
        List<int>? lines = null;
        var span = text.AsSpan();
        int from = 0;
        while (from < span.Length)
        {
            int hit = span[from..].IndexOfAny(pattern.KeywordSearch);
            if (hit < 0)
                break;
            hit += from;
            lineStarts ??= LineStarts(text);
            lines ??= [];
            int line = Array.BinarySearch(lineStarts, hit);
            line = line < 0 ? ~line - 1 : line;
            lines.Add(line);
            // Continue after this line: one regex run per line is enough.
            from = Math.Max(LineEnd(text, lineStarts, line) + 1, hit + 1);
        }
        return lines;
    }

    private static int LineEnd(string text, int[] lineStarts, int line)
    {
        int end = line + 1 < lineStarts.Length ? lineStarts[line + 1] - 1 : text.Length;
        if (end > lineStarts[line] && end <= text.Length && end > 0 && text[end - 1] == '\r')
            end--;
        return end;
    }

    private static string LineOf(string text, int[] lineStarts, int offset)
    {
        int line = Array.BinarySearch(lineStarts, offset);
        line = line < 0 ? ~line - 1 : line;
        return text[lineStarts[line]..LineEnd(text, lineStarts, line)];
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        int i = 0;
        while ((i = text.IndexOf('\n', i)) >= 0)
        {
            starts.Add(++i);
        }
        return [.. starts];
    }
}
