using System.Globalization;

namespace Keyward.Audit.Reports;

/// <summary>The default report: findings grouped by file with the offending line, the fix, and a summary.</summary>
public static class TextReport
{
    public static void Write(TextWriter w, AuditResult result, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var excerpts = new Excerpts(result, options);
        string C(string code, string text) => options.Color ? $"\u001b[{code}m{text}\u001b[0m" : text;
        foreach (var group in result.Findings.GroupBy(f => f.File))
        {
            w.WriteLine(C("1", group.Key));
            // Positions padded to the widest in the file, so severities and excerpts line up in a column.
            var findings = group.ToArray();
            var wheres = Array.ConvertAll(findings, Where);
            int whereWidth = wheres.Max(x => x.Length);
            int lineWidth = findings.Max(f => Digits(f.Position.Line));
            for (int i = 0; i < findings.Length; i++)
            {
                var f = findings[i];
                w.WriteLine($"  {wheres[i].PadRight(whereWidth)}  {C(SeverityColor(f.Severity), f.Severity.Name().PadRight(8))} {f.RuleId} {f.RuleName}: {f.Message}");
                var obj = f.Resource is { } o ? $"{o.Kind}/{(o.Namespace is null ? "" : o.Namespace + "/")}{o.Name}" : null;
                if (obj is not null || f.FieldPath is not null)
                    w.WriteLine($"      {C("2", string.Join("  ", new[] { obj, f.FieldPath }.Where(s => s is not null)))}");
                if (excerpts.For(f) is { } line)
                    w.WriteLine($"      {C("2", f.Position.Line.ToString(CultureInfo.InvariantCulture).PadLeft(lineWidth) + " |")} {line.Trim()}");
                w.WriteLine($"      fix: {f.Remediation}");
            }
            w.WriteLine();
        }
        w.WriteLine(Summary(result));
        foreach (var notice in result.Stats.Notices)
            w.WriteLine($"note: {notice}");
    }

    /// <summary>Where a finding is: <c>line:column</c>, after the commit and its date for one found in history.</summary>
    private static string Where(Finding f)
    {
        var position = $"{f.Position.Line}:{f.Position.Column}";
        return f.Commit is { } c
            ? $"{c.Sha[..Math.Min(12, c.Sha.Length)]} {c.AuthorDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {position}"
            : position;
    }

    private static int Digits(int n) => n.ToString(CultureInfo.InvariantCulture).Length;

    public static string Summary(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Stats;
        var counts = ReportSummary.BySeverity(result).Where(x => x.Count > 0).Select(x => $"{x.Count} {x.Severity.Name()}");
        var parts = new List<string>
        {
            $"{result.Findings.Count} finding{(result.Findings.Count == 1 ? "" : "s")}" + (result.Findings.Count > 0 ? $" ({string.Join(", ", counts)})" : ""),
            $"{s.FilesScanned} file{(s.FilesScanned == 1 ? "" : "s")}, {s.Documents} object{(s.Documents == 1 ? "" : "s")} scanned",
        };
        if (s.Commits > 0)
            parts.Add($"{s.Commits} commit{(s.Commits == 1 ? "" : "s")}");
        if (s.SuppressedTotal > 0)
            parts.Add($"{s.SuppressedTotal} suppressed ({string.Join(", ", s.Suppressed.OrderBy(k => k.Key).Select(k => $"{k.Value} {KindName(k.Key)}"))})");
        if (s.SkippedBinary > 0)
            parts.Add($"{s.SkippedBinary} binary skipped");
        if (s.SkippedLarge > 0)
            parts.Add($"{s.SkippedLarge} too large skipped");
        if (s.Excluded > 0)
            parts.Add($"{s.Excluded} excluded by the config");
        return string.Join("; ", parts);
    }

    private static string KindName(SuppressionKind kind) => kind switch
    {
        SuppressionKind.InlineComment => "inline comment",
        SuppressionKind.Config => "config",
        SuppressionKind.Allowlist => "allowlist",
        SuppressionKind.Baseline => "baseline",
        _ => "annotation",
    };

    private static string SeverityColor(Severity severity) => severity switch
    {
        Severity.Critical => "1;31",
        Severity.High => "31",
        Severity.Medium => "33",
        Severity.Low => "36",
        _ => "2",
    };
}
