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
}

/// <summary>How many findings have one severity.</summary>
public sealed record SeverityCount(Severity Severity, int Count);

/// <summary>How many findings share a name: a rule ID or a namespace.</summary>
public sealed record NameCount(string Name, int Count);

/// <summary>Counts used by every format's summary.</summary>
/// <remarks>
/// Plain loops and classes: LINQ over value tuples, like the framework's collections of Keyward's own structs, is
/// generic code that no ReadyToRun image holds, and compiling it cost every <c>keyward audit</c> a few milliseconds.
/// </remarks>
public static class ReportSummary
{
    /// <summary>Every severity, highest first, with its count (zero included).</summary>
    public static IReadOnlyList<SeverityCount> BySeverity(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var counts = new int[(int)Severity.Critical + 1];
        foreach (var f in result.Findings)
            counts[(int)f.Severity]++;
        var bySeverity = new SeverityCount[counts.Length];
        for (int s = 0; s < counts.Length; s++)
            bySeverity[counts.Length - 1 - s] = new SeverityCount((Severity)s, counts[s]);
        return bySeverity;
    }

    /// <summary>Rule IDs by count, highest first, then by ID.</summary>
    public static IReadOnlyList<NameCount> ByRule(AuditResult result) => Count(result, f => f.RuleId);

    /// <summary>Namespaces by count, highest first, then by name; "(none)" for findings outside any object.</summary>
    public static IReadOnlyList<NameCount> ByNamespace(AuditResult result) => Count(result, f => f.Resource?.Namespace ?? "(none)");

    private static List<NameCount> Count(AuditResult result, Func<Finding, string> name)
    {
        ArgumentNullException.ThrowIfNull(result);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in result.Findings)
        {
            var key = name(f);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        var list = new List<NameCount>(counts.Count);
        foreach (var (key, count) in counts)
            list.Add(new NameCount(key, count));
        list.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Name, b.Name));
        return list;
    }
}
