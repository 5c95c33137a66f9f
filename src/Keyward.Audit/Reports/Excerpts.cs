using System.Text;
using Keyward.Core;

namespace Keyward.Audit.Reports;

/// <summary>
/// The offending line each report shows under a finding. Every secret that any finding reported in that file is
/// masked, in whatever form the line writes it (plain, quoted, escaped), so that one finding's excerpt never shows
/// another's secret: a minified JSON manifest holds a whole Pod on one line, and a value reported once, on a
/// Secret's line, may stand again on a Pod's (its own finding there yielding to the Secret's). A long line is cut
/// to a window around the finding's column, so that a one-line backup of a thousand Secrets does not repeat itself
/// in every finding.
/// </summary>
public sealed class Excerpts
{
    /// <summary>Longest excerpt shown, in characters, before the ellipses that say it was cut.</summary>
    public const int MaxLength = 200;

    /// <summary>How much of the window lies before the finding's column.</summary>
    private const int Before = 60;

    /// <summary>Characters compared at most in searching a line for its secrets, one by one, before masking every token instead.</summary>
    private const long SearchBudget = 50_000_000;

    /// <summary>Shorter parts of a multi-line secret are left alone: masking "yes" or "{" everywhere hides the line, not a secret.</summary>
    private const int MinimumPart = 4;

    /// <summary>The parse-error rule: its file has no findings naming secrets, so its line is masked on its own.</summary>
    private const string ParseErrorRule = "KW001";

    private readonly ReportOptions _options;
    private readonly Dictionary<FileKey, FileSecrets> _files = [];

    public Excerpts(AuditResult result, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        foreach (var finding in result.Findings)
        {
            if (finding.Secrets.Count == 0)
                continue; // a finding with no line of its own still has secrets other lines may hold
            var key = FileKey.Of(finding);
            if (!_files.TryGetValue(key, out var secrets))
                _files[key] = secrets = new FileSecrets();
            secrets.Add(finding.Secrets);
        }
    }

    /// <summary>The excerpt for <paramref name="finding"/>, or null when its line is not known.</summary>
    public string? For(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.SourceLine is not { } line)
            return null;
        var spans = _options.ShowSecrets ? []
            : finding.RuleId == ParseErrorRule ? Unparsed(line)
            : _files.TryGetValue(FileKey.Of(finding), out var secrets) ? secrets.Spans(finding.Position.Line, line) : [];
        if (line.Length <= MaxLength && spans.Count == 0)
            return line;
        var (start, end) = Window(line, finding.Position.Column, spans);
        var excerpt = new StringBuilder(end - start + 32);
        if (start > 0)
            excerpt.Append('…');
        int at = start;
        // From the first span that ends inside the window: thousands of findings on one line each see only their own.
        for (int i = FirstEndingAfter(spans, start); i < spans.Count && spans[i].Start < end; i++)
        {
            excerpt.Append(line, at, spans[i].Start - at).Append(SecretMask.Mask(line[spans[i].Start..spans[i].End]));
            at = spans[i].End;
        }
        excerpt.Append(line, at, end - at);
        if (end < line.Length)
            excerpt.Append('…');
        return excerpt.ToString();
    }

    /// <summary>
    /// What to mask on a line that did not parse: no rule read its values, so whatever could be one is hidden. On a
    /// <c>key: value</c> line, everything after the key's colon; on any other line (a list item, a line broken
    /// before its colon), every token of <see cref="MinimumPart"/> characters or more.
    /// </summary>
    private static List<Span> Unparsed(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] != ':')
                continue;
            bool keyEnds = i + 1 == line.Length || line[i + 1] is ' ' or '\t' || (i > 0 && line[i - 1] is '"' or '\'');
            if (!keyEnds)
                continue;
            int start = i + 1;
            while (start < line.Length && line[start] is ' ' or '\t')
                start++;
            int end = line.AsSpan().TrimEnd().Length;
            return start < end ? [new Span(start, end)] : [];
        }
        return FileSecrets.Tokens(line, MinimumPart);
    }

    /// <summary>Index of the first of the sorted, disjoint <paramref name="spans"/> that ends after <paramref name="position"/>.</summary>
    private static int FirstEndingAfter(List<Span> spans, int position)
    {
        int low = 0, high = spans.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (spans[middle].End <= position)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    /// <summary>
    /// The part of <paramref name="line"/> to show: all of it when short; otherwise about <see cref="MaxLength"/>
    /// characters around the column, widened so no masked span is cut, and narrowed so no other token is cut in two
    /// (half a token may be half of a secret no finding reported).
    /// </summary>
    private static (int Start, int End) Window(string line, int column, List<Span> spans)
    {
        if (line.Length <= MaxLength)
            return (0, line.Length);
        int start = Math.Clamp(column - 1 - Before, 0, line.Length - MaxLength);
        int end = start + MaxLength;
        int cutStart = start, cutEnd = end;
        if (start > 0 && !IsBoundary(line, start))
        {
            while (start < end && !IsDelimiter(line[start]))
                start++;
        }
        if (end < line.Length && !IsBoundary(line, end))
        {
            while (end > start && !IsDelimiter(line[end - 1]))
                end--;
        }
        // Then widened over the masked spans the first cut reached, so they show as masks, whole (a token longer than
        // the window would otherwise vanish, narrowed away).
        for (int i = FirstEndingAfter(spans, cutStart); i < spans.Count && spans[i].Start < cutEnd; i++)
        {
            start = Math.Min(start, spans[i].Start);
            end = Math.Max(end, spans[i].End);
        }
        return (start, end);
    }

    private static bool IsBoundary(string line, int index) => IsDelimiter(line[index - 1]) || IsDelimiter(line[index]);

    private static bool IsDelimiter(char c) => c is ' ' or '\t' or ',' or ':' or '{' or '}' or '[' or ']' or '"' or '\'' or '=';

    // Classes, not structs: a list or a dictionary of Keyward's own structs is generic code no ReadyToRun image holds,
    // and compiling it at run time cost every report a few milliseconds.

    /// <summary>Part of a line to mask, end exclusive.</summary>
    private sealed record Span(int Start, int End);

    /// <summary>A file, of one commit when the finding comes from history.</summary>
    private sealed record FileKey(string File, string? Commit)
    {
        public static FileKey Of(Finding f) => new(f.File, f.Commit?.Sha);
    }

    /// <summary>The secrets reported in one file, and where each of its lines writes them (found once a line, on first use).</summary>
    private sealed class FileSecrets
    {
        private readonly HashSet<string> _parts = new(StringComparer.Ordinal);
        private readonly Dictionary<int, List<Span>> _lines = [];

        public void Add(IReadOnlyList<string> secrets)
        {
            foreach (var secret in secrets)
            {
                foreach (var part in secret.Split('\n'))
                {
                    var trimmed = part.Trim();
                    if (trimmed.Length >= MinimumPart)
                        _parts.Add(trimmed);
                }
            }
        }

        public List<Span> Spans(int number, string line)
        {
            if (!_lines.TryGetValue(number, out var spans))
                _lines[number] = spans = Find(line);
            return spans;
        }

        private List<Span> Find(string line)
        {
            if ((long)_parts.Count * line.Length > SearchBudget)
                return Tokens(line); // in order and apart already
            var spans = new List<Span>();
            foreach (var part in _parts)
            {
                for (int at = line.IndexOf(part, StringComparison.Ordinal); at >= 0; at = line.IndexOf(part, at + part.Length, StringComparison.Ordinal))
                    spans.Add(new Span(at, at + part.Length));
            }
            foreach (var (start, end, value) in QuotedScalars.In(line))
            {
                if (end - start != value.Length || !line.AsSpan(start, end - start).SequenceEqual(value))
                {
                    foreach (var part in _parts)
                    {
                        // Written as it reads, the part is masked where it stands; escaped, the whole string is.
                        if (value.Contains(part, StringComparison.Ordinal) && !line.AsSpan(start, end - start).Contains(part, StringComparison.Ordinal))
                        {
                            spans.Add(new Span(start, end));
                            break;
                        }
                    }
                }
            }
            Pieces(line, spans);
            return Merge(spans);
        }

        /// <summary>
        /// A value broken over lines (a double-quoted string continued with a backslash) leaves a piece of it on each
        /// line, which matches no secret whole: a token that is part of a secret is masked too, and a shorter one when
        /// it ends its line as a secret starts or starts its line as a secret ends.
        /// </summary>
        private void Pieces(string line, List<Span> spans)
        {
            int indent = line.Length - line.AsSpan().TrimStart().Length;
            int last = line.AsSpan().TrimEnd().Length;
            foreach (var token in Tokens(line, MinimumPart))
            {
                // The backslash that continues the string is no part of the value.
                int end = line[token.End - 1] == '\\' ? token.End - 1 : token.End;
                if (end - token.Start >= MinimumPart && IsPiece(line.AsSpan(token.Start, end - token.Start), token.Start == indent, token.End >= last))
                    spans.Add(new Span(token.Start, end));
            }
        }

        private bool IsPiece(ReadOnlySpan<char> token, bool startsLine, bool endsLine)
        {
            foreach (var part in _parts)
            {
                if (part.Length <= token.Length)
                    continue;
                if (token.Length >= 8 ? part.AsSpan().IndexOf(token, StringComparison.Ordinal) >= 0
                    : (endsLine && part.AsSpan().StartsWith(token, StringComparison.Ordinal)) || (startsLine && part.AsSpan().EndsWith(token, StringComparison.Ordinal)))
                    return true;
            }
            return false;
        }

        /// <summary>
        /// The tokens of <paramref name="minimum"/> characters or more between delimiters. With 8, every token that could
        /// be a value: what is masked on a line too long, with too many secrets, to search for each one. Only
        /// machine-written bundles get there, and hiding too much of them is better than a search that grows with the
        /// square of the line.
        /// </summary>
        internal static List<Span> Tokens(string line, int minimum = 8)
        {
            var spans = new List<Span>();
            int start = 0;
            for (int i = 0; i <= line.Length; i++)
            {
                if (i < line.Length && !IsDelimiter(line[i]))
                    continue;
                if (i - start >= minimum)
                    spans.Add(new Span(start, i));
                start = i + 1;
            }
            return spans;
        }

        private static List<Span> Merge(List<Span> spans)
        {
            if (spans.Count < 2)
                return spans;
            spans.Sort((a, b) => a.Start.CompareTo(b.Start));
            var merged = new List<Span>(spans.Count) { spans[0] };
            foreach (var span in spans.Skip(1))
            {
                var last = merged[^1];
                if (span.Start <= last.End)
                    merged[^1] = last with { End = Math.Max(last.End, span.End) };
                else
                    merged.Add(span);
            }
            return merged;
        }
    }
}
