using Keyward.Core;

namespace Keyward.Audit.Reports;

/// <summary>How reports render: secrets masked unless asked, colors on terminals, the tool version.</summary>
public sealed record ReportOptions
{
    public bool ShowSecrets { get; init; }
    public bool Color { get; init; }
    public string ToolVersion { get; init; } = "0.1.0";

    /// <summary>The finding's secret for display: masked unless <see cref="ShowSecrets"/>.</summary>
    public string? Secret(Finding finding) =>
        finding?.Secrets.Count > 0 ? (ShowSecrets ? finding.Secrets[0] : SecretMask.Mask(finding.Secrets[0])) : null;

    /// <summary>The offending line with every secret of the finding masked (unless <see cref="ShowSecrets"/>).</summary>
    public string? Excerpt(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.SourceLine is not { } line)
            return null;
        if (ShowSecrets)
            return line;
        foreach (var secret in finding.Secrets.OrderByDescending(s => s.Length))
        {
            foreach (var part in secret.Split('\n').Where(p => p.Trim().Length >= 4))
                line = line.Replace(part.Trim(), SecretMask.Mask(part.Trim()), StringComparison.Ordinal);
        }
        return line;
    }
}

/// <summary>Counts used by every format's summary.</summary>
public static class ReportSummary
{
    public static IEnumerable<(Severity Severity, int Count)> BySeverity(AuditResult result) =>
        Enum.GetValues<Severity>().Reverse().Select(s => (s, result.Findings.Count(f => f.Severity == s)));

    public static IEnumerable<(string Rule, int Count)> ByRule(AuditResult result) =>
        result.Findings.GroupBy(f => f.RuleId).Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal);

    public static IEnumerable<(string Namespace, int Count)> ByNamespace(AuditResult result) =>
        result.Findings.GroupBy(f => f.Resource?.Namespace ?? "(none)").Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal);
}
