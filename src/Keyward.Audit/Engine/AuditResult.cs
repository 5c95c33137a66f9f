namespace Keyward.Audit;

/// <summary>Counts for the summary line and the reports.</summary>
public sealed class AuditStats
{
    public int FilesScanned { get; set; }
    public int Documents { get; set; }
    public int SkippedBinary { get; set; }
    public int SkippedLarge { get; set; }

    /// <summary>Files left out by the config's exclude patterns: not read, so not counted as scanned.</summary>
    public int Excluded { get; set; }
    public int Commits { get; set; }
    public Dictionary<SuppressionKind, int> Suppressed { get; } = [];
    public List<string> Notices { get; } = [];

    public int SuppressedTotal
    {
        get
        {
            int total = 0;
            foreach (var count in Suppressed.Values)
                total += count;
            return total;
        }
    }

    internal void CountSuppressed(SuppressionKind kind) => Suppressed[kind] = Suppressed.GetValueOrDefault(kind) + 1;
}

/// <summary>The outcome of an audit: the findings to report (sorted) and the counts.</summary>
public sealed record AuditResult(IReadOnlyList<Finding> Findings, AuditStats Stats, IReadOnlyList<Rule> Rules)
{
    public bool HasFindingsAtOrAbove(Severity threshold) => Findings.Any(f => f.Severity >= threshold);

    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);
}
