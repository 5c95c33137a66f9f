using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Grading;

/// <summary>
/// Grades access rules on the guide's scale from what their paths can reach. A pattern is judged by the
/// segments before its first <c>*</c>, since <c>*</c> matches anything (across <c>/</c>) after them; a
/// <c>*</c> that cuts a segment (<c>/kube/abc*</c>) therefore reaches the siblings of that segment too.
/// </summary>
public static class RuleGrader
{
    private const string Id = "{}";

    public static RuleGrade Grade(AccessRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var grade = GradeReach(rule);
        return ClusterWrites.Caution(rule) is { } caution ? grade with { Caution = caution } : grade;
    }

    private static RuleGrade GradeReach(AccessRule rule)
    {
        // AccessRule.Create refuses these; a rule built another way is graded by the worst it could reach.
        if (AccessRule.UnboundedSegment(rule.Path) is { } segment)
            return new(rule, RiskLevel.Critical, "Unknown reach", $"the segment \"{segment}\" reaches what a server that normalises the path makes of it, possibly the whole account");
        var shape = new PathShape(rule.Exact() ? rule.Path : rule.LiteralPrefix, rule.Exact());
        bool read = rule.Method == "GET";
        string what = shape.Exact ? "this one call" : $"every call under {rule.LiteralPrefix}";

        if (shape.Under("cloud", "project", Id, "kube", Id))
            return new(rule, RiskLevel.Minimal, "Single cluster", $"{what}: only cluster {shape[4]} of project {shape[2]}");
        if (read && shape.Under("cloud", "project", Id, "capabilities", "kube"))
            return new(rule, RiskLevel.Minimal, "MKS catalog", $"{what}: read-only catalog of MKS regions and flavors of project {shape[2]}, no resource");
        if (read && shape.Is("cloud", "project", Id, "kube"))
            return new(rule, RiskLevel.Minimal, "Cluster list", $"lists the cluster ids of project {shape[2]}: names only, nothing else readable or writable");
        if (shape.Under("cloud", "project", Id, "kube"))
            return new(rule, RiskLevel.Medium, "All MKS clusters", $"{what}: every MKS cluster of project {shape[2]}, present and future");
        if (shape.Under("cloud", "project", Id))
            return new(rule, RiskLevel.High, "Entire project", $"{what}: project {shape[2]} beyond Kubernetes (instances, storage, network, users)");
        if (read && shape.Is("cloud", "project"))
            return new(rule, RiskLevel.High, "Project list", "lists the ids of every cloud project of the account (names only)");
        if (shape.Under("cloud") || IsPrefixOf(rule.LiteralPrefix, "/cloud/") && !shape.Exact)
            return new(rule, RiskLevel.Critical, "All projects", $"{what}: every cloud project of the account");

        if (shape.Under("domain", "zone", Id, "record"))
            return new(rule, RiskLevel.Minimal, "Records of one zone", $"{what}: the records of zone {shape[2]}");
        if (shape.Exact && shape.Under("domain", "zone", Id) && (read || rule.Method == "POST" && shape.Is("domain", "zone", Id, "refresh")))
            return new(rule, RiskLevel.Minimal, "One zone", read ? $"reads {rule.Path} of zone {shape[2]}" : $"applies the pending changes of zone {shape[2]}");
        if (shape.Under("domain", "zone", Id))
            return new(rule, RiskLevel.Medium, "Whole zone", $"{what}: all of zone {shape[2]} (DNSSEC, import, reset, redirections), not only its records");
        if (read && shape.Is("domain", "zone"))
            return new(rule, RiskLevel.Medium, "Zone list", "lists the names of every DNS zone of the account (names only)");
        if (shape.Under("domain", "zone"))
            return new(rule, RiskLevel.High, "All zones", $"{what}: every DNS zone of the account");
        if (shape.Under("domain") || IsPrefixOf(rule.LiteralPrefix, "/domain/") && !shape.Exact)
            return new(rule, RiskLevel.Critical, "All domains", $"{what}: every domain of the account, with its registration, owner and transfer");

        if (shape.Exact && read)
            return new(rule, RiskLevel.High, "Account", $"reads {rule.Path}: account data outside any cloud project or DNS zone");
        return new(rule, RiskLevel.Critical, "Whole account",
            shape.Exact ? $"changes {rule.Path}: account-level API outside any cloud project or DNS zone" : $"{what}: account-level API (billing, users, API credentials)");
    }

    public static RuleSetGrade GradeSet(IReadOnlyList<AccessRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var grades = rules.Select(Grade).ToList();
        var level = RiskLevel.Minimal;
        foreach (var g in grades)
            level = Max(level, g.Level);
        var notes = new List<string>();

        var projects = Distinct(rules, r => r.Under("cloud", "project", Id) ? r[2] : null);
        var clusters = Distinct(rules, r => r.Under("cloud", "project", Id, "kube", Id) ? r[2] + "/" + r[4] : null);
        if (projects.Count > 1)
        {
            level = Max(level, RiskLevel.High);
            notes.Add($"the rules reach {projects.Count} projects ({string.Join(", ", projects)}): one credential set per project and cluster");
        }
        else if (clusters.Count > 1)
        {
            level = Max(level, RiskLevel.Medium);
            notes.Add($"the rules reach {clusters.Count} clusters ({string.Join(", ", clusters)}): the guide asks for one credential set per cluster");
        }
        var duplicates = rules.GroupBy(r => r.ToString()).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            notes.Add($"duplicate rules: {string.Join(", ", duplicates)}");
        return new RuleSetGrade(level, grades, notes);
    }

    private static bool Exact(this AccessRule rule) => !rule.HasWildcard;

    private static RiskLevel Max(RiskLevel a, RiskLevel b) => a > b ? a : b;

    /// <summary>The literal prefix is a proper beginning of <paramref name="root"/>: a pattern like <c>/*</c> or <c>/cl*</c> reaches all of it and more.</summary>
    private static bool IsPrefixOf(string literal, string root) => literal.Length > 1 && root.StartsWith(literal, StringComparison.Ordinal);

    private static List<string> Distinct(IEnumerable<AccessRule> rules, Func<PathShape, string?> key) =>
        rules.Select(r => key(new PathShape(r.Exact() ? r.Path : r.LiteralPrefix, r.Exact())))
            .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
