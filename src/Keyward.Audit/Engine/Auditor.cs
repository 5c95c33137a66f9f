using Keyward.Manifests;

namespace Keyward.Audit;

/// <summary>Settings of one audit run.</summary>
public sealed record AuditOptions
{
    public AuditConfig Config { get; init; } = AuditConfig.Empty;
    public Baseline? Baseline { get; init; }

    /// <summary>Only these rules (IDs or names); null for all enabled rules.</summary>
    public IReadOnlyCollection<string>? OnlyRules { get; init; }

    /// <summary>Only rules of these categories; null for all.</summary>
    public IReadOnlyCollection<Category>? OnlyCategories { get; init; }
}

/// <summary>
/// Runs the rules: parses manifests, calls each rule on every text, document and on the whole set, then drops
/// duplicates and suppressed findings and applies severity overrides.
/// </summary>
public sealed class Auditor
{
    private readonly RuleRegistry _registry;
    private readonly AuditOptions _options;

    public Auditor(RuleRegistry registry, AuditOptions? options = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _options = options ?? new AuditOptions();
    }

    public IReadOnlyList<Rule> ActiveRules() => _registry.Rules.Where(r =>
        _options.Config.Enabled.GetValueOrDefault(r.Id, true)
        && (_options.OnlyRules is null || _options.OnlyRules.Any(o => string.Equals(o, r.Id, StringComparison.OrdinalIgnoreCase) || string.Equals(o, r.Name, StringComparison.OrdinalIgnoreCase)))
        && (_options.OnlyCategories is null || _options.OnlyCategories.Contains(r.Category))).ToList();

    public AuditResult Run(AuditInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var stats = inputs.Stats;
        var texts = inputs.Texts.Where(t => !_options.Config.Excludes.Any(r => r.IsMatch(t.File))).ToList();
        var documents = new List<ManifestDocument>(inputs.Documents);
        var parseErrors = new List<ManifestParseError>();
        foreach (var text in texts.Where(t => inputs.IsManifest(t)))
        {
            var loaded = ManifestLoader.Load(text.Text, text.File);
            documents.AddRange(loaded.Documents);
            // Helm templates are not YAML until rendered; their parse errors are noise.
            if (!text.Text.Contains("{{", StringComparison.Ordinal))
                parseErrors.AddRange(loaded.Errors);
        }
        stats.Documents = documents.Count;
        var context = new AuditContext(documents, texts);
        foreach (var doc in documents.Where(d => d.Root.Child("sops") is not null))
            context.SopsFiles.Add(doc.File);

        var sink = new FindingSink(context.Text);
        var scanned = texts.Where(inputs.IsTextScanned).ToList();
        var rules = ActiveRules();
        foreach (var rule in rules)
        {
            sink.Current = rule;
            if (rule is Rules.Gitops.ParseErrorRule)
            {
                foreach (var e in parseErrors)
                    sink.Report(e.File, e.Position, "cannot parse: " + e.Message.ToLowerInvariant().TrimEnd('.'));
                continue;
            }
            foreach (var text in scanned)
                rule.CheckText(text, sink);
            foreach (var doc in documents)
                rule.CheckDocument(doc, context, sink);
            rule.CheckRepository(context, sink);
        }
        return new AuditResult(Filter(Attribute(sink.Findings, documents), context, stats), stats, rules);
    }

    private const string GenericRuleId = "KW211";

    /// <summary>Text findings inside a manifest name the object whose document holds the line.</summary>
    private static List<Finding> Attribute(IReadOnlyList<Finding> findings, List<ManifestDocument> documents)
    {
        var byFile = documents.Where(d => d.Kind is not null).GroupBy(d => d.File)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Start.Line).ToList(), StringComparer.Ordinal);
        return findings.Select(f =>
        {
            if (f.Resource is not null || !byFile.TryGetValue(f.File, out var docs))
                return f;
            var doc = docs.LastOrDefault(d => d.Start.Line <= f.Position.Line);
            return doc is null ? f : f with { Resource = doc.Reference, Document = doc };
        }).ToList();
    }

    private static bool Overlaps(Finding a, Finding b) =>
        a.Secrets.Any(x => b.Secrets.Any(y => x.Contains(y, StringComparison.Ordinal) || y.Contains(x, StringComparison.Ordinal)));

    private List<Finding> Filter(IReadOnlyList<Finding> raw, AuditContext context, AuditStats stats)
    {
        var seen = new HashSet<(string, string, int, string)>();
        var kept = new List<Finding>();
        var specific = raw.Where(f => f.RuleId != GenericRuleId && f.Secrets.Count > 0).ToLookup(f => (f.File, f.Position.Line));
        foreach (var finding in raw)
        {
            // The generic pattern yields to any more specific finding about the same value (gitleaks does the same).
            if (finding.RuleId == GenericRuleId && specific[(finding.File, finding.Position.Line)].Any(o => Overlaps(o, finding)))
                continue;
            var key = (finding.RuleId, finding.File, finding.Position.Line, finding.Secrets.Count > 0 ? finding.Secrets[0] : finding.Message + finding.FieldPath);
            if (!seen.Add(key))
                continue;
            var rule = _registry.Find(finding.RuleId)!;
            SuppressionKind? why =
                Suppressions.ByAnnotation(finding.Document, rule) ? SuppressionKind.Annotation
                : Suppressions.ByComment(context.Text(finding.File), finding, rule) ? SuppressionKind.InlineComment
                : Suppressions.ByConfig(_options.Config, finding) ? SuppressionKind.Config
                : Suppressions.ByAllowlist(_options.Config, finding) ? SuppressionKind.Allowlist
                : _options.Baseline?.Fingerprints.Contains(finding.Fingerprint) == true ? SuppressionKind.Baseline
                : null;
            if (why is { } kind)
            {
                stats.CountSuppressed(kind);
                continue;
            }
            kept.Add(_options.Config.SeverityOverrides.TryGetValue(finding.RuleId, out var severity) ? finding with { Severity = severity } : finding);
        }
        return [.. kept.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Commit?.AuthorDate).ThenBy(f => f.Position.Line)
            .ThenBy(f => f.Position.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal)];
    }
}
