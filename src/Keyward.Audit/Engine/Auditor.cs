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

    /// <summary>The time dates in manifests are judged against (rotation due dates); null for the clock's.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>When the rules that check each file alone run ahead of the others (other than the default only in tests).</summary>
    internal CheckAheadMode CheckAhead { get; init; } = CheckAheadMode.WhenBehind;
}

/// <summary>When the parse-ahead thread runs the rules that check each file alone.</summary>
internal enum CheckAheadMode
{
    /// <summary>Never: every rule runs as the engine reaches the file.</summary>
    Off,

    /// <summary>For a file parsed while others wait for the rules (the default, with a second core).</summary>
    WhenBehind,

    /// <summary>For every file, on one core too (tests).</summary>
    Always,
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

    /// <summary>
    /// The rules this run checks. A rule named with <c>--rule</c> runs even when the config turns it off: the command
    /// line says what this run is about, and a run of a rule that checks nothing, silently, helps nobody. A category
    /// names no rule, so the config still turns rules off within it.
    /// </summary>
    public IReadOnlyList<Rule> ActiveRules() => _registry.Rules.Where(r =>
        (Named(r) || !_options.Config.Enabled.TryGetValue(r.Id, out var enabled) || enabled)
        && (_options.OnlyRules is null || Named(r))
        && (_options.OnlyCategories is null || _options.OnlyCategories.Contains(r.Category))).ToList();

    private bool Named(Rule rule) => _options.OnlyRules is { } named
        && named.Any(o => string.Equals(o, rule.Id, StringComparison.OrdinalIgnoreCase) || string.Equals(o, rule.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Streams through the inputs file by file: each file is read, parsed and checked by every rule, and only what
    /// cross-object rules need is kept (see <see cref="AuditContext"/>). Then deferred and repository checks run.
    /// Findings come out in the same order as checking rule by rule over all files would give (the final sort is
    /// stable and every rule's findings for one file keep their relative order).
    /// </summary>
    public AuditResult Run(AuditInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var stats = inputs.Stats;
        bool Included(SourceText t) => !_options.Config.IsExcluded(t.File, inputs.BaseDirectory);
        // An excluded file is not read, so not scanned; it is counted apart, and said, since it may hold secrets.
        bool CountedIfIncluded(SourceText t)
        {
            if (Included(t))
                return true;
            if (AuditInputs.IsTextScanned(t))
                (stats.FilesScanned, stats.Excluded) = (stats.FilesScanned - 1, stats.Excluded + 1);
            return false;
        }
        // History texts are made while the audit runs and are not looked up by name: the context knows the files.
        var context = new AuditContext(inputs.Texts.Where(Included)) { Now = _options.Now ?? DateTimeOffset.UtcNow };
        var sink = new FindingSink(context.Text);
        var rules = ActiveRules();
        foreach (var rule in rules)
        {
            if (_options.Config.Enabled.TryGetValue(rule.Id, out var enabled) && !enabled)
                stats.Notices.Add($"{rule.Id} is off in the config; it runs because --rule names it");
        }
        var sites = new Dictionary<string, List<ObjectSite>>(StringComparer.Ordinal);
        var documents = new List<ManifestDocument>();
        var findingsOfVersion = new Dictionary<string, KnownFindings>(StringComparer.Ordinal);
        var known = new List<Finding>();

        // Rules that check each file alone run ahead with the parsing (on the second core when there is one).
        void Prepare(SourceText text, ManifestLoader.Result? parsed)
        {
            if (!text.IsBinary && !KeywardReports.Is(text))
                text.PreparedFindings = CheckAhead.Run(text, parsed?.Documents ?? [], rules, context.Text);
        }

        var prepare = _options.CheckAhead == CheckAheadMode.Off ? null : (Action<SourceText, ManifestLoader.Result?>)Prepare;
        foreach (var (text, loaded) in ParseAhead.Run(inputs.Sequence().Where(CountedIfIncluded), AuditInputs.IsManifest, prepare, _options.CheckAhead == CheckAheadMode.Always))
        {
            if (text.IsBinary)
            {
                // Listed as a file to scan; its first bytes, read now, say binary.
                stats.FilesScanned--;
                stats.SkippedBinary++;
                text.Release();
                continue;
            }
            if (KeywardReports.Is(text))
            {
                stats.FilesScanned--;
                stats.Notices.Add($"{text.File}: skipped, a keyward report (its excerpts repeat the findings)");
                text.Release();
                continue;
            }
            documents.Clear();
            IReadOnlyList<ManifestParseError> errors = [];
            if (loaded is not null)
            {
                documents.AddRange(loaded.Documents);
                // Helm templates are not YAML until rendered, and a file broken in an old commit is history: their
                // parse errors are noise.
                if (loaded.Errors.Count > 0 && !IsTemplate(text.Text) && text.Commit is null)
                    errors = loaded.Errors;
            }
            stats.Documents += CountObjects(documents);
            sink.CurrentText = text;
            if (text.Edit is { } edit)
            {
                AddSites(sites, documents, text.Commit);
                CheckEditedManifest(text, edit, documents, rules, sink, findingsOfVersion, known);
            }
            else if (text.Commit is null)
                CheckFile(AuditInputs.IsTextScanned(text) ? text : null, documents, errors, rules, context, sink, sites);
            else
            {
                AddSites(sites, documents, text.Commit);
                CheckCommittedFile(text, documents, rules, sink);
            }
            text.PreparedFindings = null;
            text.Release();
        }
        foreach (var rule in rules)
        {
            sink.Current = rule;
            foreach (var check in context.DeferredFor(rule))
                check(sink);
            rule.CheckRepository(context, sink);
        }
        // Before filtering: inline suppressions and duplicates are judged at the kustomize source lines users see.
        return new AuditResult(Filter(inputs.MapToSources(Attribute(sink.Findings, sites)), known, context, stats, new WorkTrees(inputs.BaseDirectory), inputs.BaseDirectory), stats, rules);
    }

    /// <summary>The objects among <paramref name="documents"/>: a <c>List</c> the loader expanded is its items, not one more.</summary>
    /// <summary>
    /// A template (Helm's, or any Go template) is no YAML until rendered: <c>{{</c> outside a comment. One in a
    /// comment ("rendered from {{ .Values.db }}") makes no template, and must not hide the file's real errors.
    /// </summary>
    private static bool IsTemplate(string text)
    {
        for (int at = text.IndexOf("{{", StringComparison.Ordinal); at >= 0; at = text.IndexOf("{{", at + 2, StringComparison.Ordinal))
        {
            int lineStart = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
            var before = text.AsSpan(lineStart, at - lineStart);
            if (!before.TrimStart(" \t").StartsWith('#') && !before.Contains(" #", StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static int CountObjects(List<ManifestDocument> documents)
    {
        int count = 0;
        foreach (var d in documents)
        {
            if (!(d.Kind is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && d.Root.Child("items") is Keyward.Manifests.Yaml.YamlList))
                count++;
        }
        return count;
    }

    /// <summary>Every rule on one file: its text, then each of its documents.</summary>
    private static void CheckFile(SourceText? text, IReadOnlyList<ManifestDocument> documents, IReadOnlyList<ManifestParseError> errors,
        IReadOnlyList<Rule> rules, AuditContext context, FindingSink sink, Dictionary<string, List<ObjectSite>> sites)
    {
        foreach (var document in documents)
        {
            var site = ObjectSite.Of(document);
            context.Add(document, site);
            AddSite(sites, document, site, commit: null);
        }
        foreach (var rule in rules)
        {
            sink.Current = rule;
            if (rule is Rules.Gitops.ParseErrorRule)
            {
                foreach (var e in errors)
                    sink.Report(e.File, e.Position, "cannot parse: " + e.Message.ToLowerInvariant().TrimEnd('.'));
                continue;
            }
            if (CheckAhead.TakeInto(sink.CurrentText, rule, sink))
                continue;
            if (text is not null)
                rule.CheckText(text, sink);
            foreach (var document in documents)
                rule.CheckDocument(document, context, sink);
        }
    }

    /// <summary>
    /// A file as a commit created it: text rules, and the secret rules on its manifests. Not the hardening, RBAC or
    /// namespace rules: a past state of the repository is not what runs, and its objects join no cross-object check.
    /// </summary>
    private static void CheckCommittedFile(SourceText text, IReadOnlyList<ManifestDocument> documents, IReadOnlyList<Rule> rules, FindingSink sink)
    {
        var context = new AuditContext([text]);
        foreach (var rule in rules)
        {
            sink.Current = rule;
            if (CheckAhead.TakeInto(text, rule, sink))
                continue;
            rule.CheckText(text, sink);
            if (!CheckAhead.HistoryCategories.Contains(rule.Category))
                continue;
            foreach (var document in documents)
                rule.CheckDocument(document, context, sink);
        }
    }

    /// <summary>
    /// A manifest a commit (or the index) edited, read whole: the secret rules on its documents, keeping only what the
    /// file did not have before the edit. Its added lines were scanned as text already. What each version gave is
    /// kept by blob id: the version before an edit is usually the one after the last edit, already checked.
    /// </summary>
    private static void CheckEditedManifest(SourceText text, ManifestEdit edit, IReadOnlyList<ManifestDocument> documents, IReadOnlyList<Rule> rules,
        FindingSink sink, Dictionary<string, KnownFindings> findingsOfVersion, List<Finding> knownBefore)
    {
        if (!findingsOfVersion.TryGetValue(edit.BeforeId, out var known))
        {
            var before = new SourceText(text.File, edit.ReadBefore() ?? "", text.Commit);
            var earlier = new FindingSink(_ => before) { CurrentText = before };
            CheckHistoryDocuments(before, ManifestLoader.Load(before.Text, before.File).Documents, rules, earlier);
            known = new KnownFindings(earlier.Findings);
        }
        int start = sink.Findings.Count;
        CheckHistoryDocuments(text, documents, rules, sink);
        findingsOfVersion[edit.AfterId] = new KnownFindings(sink.Findings.Skip(start));
        // What the file had before is not reported again, and still counts as a specific finding of its values: the
        // generic rule, which sees the added line as text, yields to it (a quoted or moved value is no new key).
        sink.DropSince(start, f =>
        {
            if (!known.Has(f))
                return false;
            if (f.Secrets.Count > 0)
                knownBefore.Add(f);
            return true;
        });
    }

    /// <summary>
    /// What one version of a manifest was found to have, to tell what an edit brought. Not by line, which other edits
    /// move, nor by message, which counts things ("has 2 unencrypted values"): a finding about values is known when
    /// each of its values was already found by the same rule at the same object and field; one without values, when
    /// the same message was.
    /// </summary>
    private sealed class KnownFindings
    {
        private readonly HashSet<string> _messages = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _values = new(StringComparer.Ordinal);

        public KnownFindings(IEnumerable<Finding> findings)
        {
            foreach (var f in findings)
            {
                var place = Place(f);
                if (f.Secrets.Count == 0)
                {
                    _messages.Add(place + "\0" + f.Message);
                    continue;
                }
                if (!_values.TryGetValue(place, out var values))
                    _values[place] = values = new HashSet<string>(StringComparer.Ordinal);
                values.UnionWith(f.Secrets);
            }
        }

        public bool Has(Finding f)
        {
            var place = Place(f);
            if (f.Secrets.Count == 0)
                return _messages.Contains(place + "\0" + f.Message);
            if (!_values.TryGetValue(place, out var values))
                return false;
            foreach (var secret in f.Secrets)
            {
                if (!values.Contains(secret))
                    return false;
            }
            return true;
        }

        private static string Place(Finding f) => string.Join('\0', f.RuleId, f.Resource?.ToString(), f.FieldPath);
    }

    private static void CheckHistoryDocuments(SourceText text, IReadOnlyList<ManifestDocument> documents, IReadOnlyList<Rule> rules, FindingSink sink)
    {
        var context = new AuditContext([text]);
        foreach (var rule in rules)
        {
            if (!CheckAhead.HistoryCategories.Contains(rule.Category))
                continue;
            sink.Current = rule;
            foreach (var document in documents)
                rule.CheckDocument(document, context, sink);
        }
    }

    private const string GenericRuleId = "KW211";

    /// <summary>
    /// Where each object of a file starts, for <see cref="Attribute"/>: per file on disk, and per file and commit in
    /// history, where each commit's version of a file has objects of its own.
    /// </summary>
    private static void AddSites(Dictionary<string, List<ObjectSite>> sites, List<ManifestDocument> documents, CommitInfo? commit)
    {
        foreach (var document in documents)
            AddSite(sites, document, ObjectSite.Of(document), commit);
    }

    private static void AddSite(Dictionary<string, List<ObjectSite>> sites, ManifestDocument document, ObjectSite site, CommitInfo? commit)
    {
        if (document.Kind is null)
            return;
        var key = SiteKey(document.File, commit);
        if (!sites.TryGetValue(key, out var list))
            sites[key] = list = [];
        list.Add(site);
    }

    private static string SiteKey(string file, CommitInfo? commit) => commit is null ? file : file + "\0" + commit.Sha;

    /// <summary>
    /// Text findings inside a manifest name the object whose document holds the line: the last document (in file
    /// order) of those starting latest at or before it.
    /// </summary>
    private static List<Finding> Attribute(IReadOnlyList<Finding> findings, Dictionary<string, List<ObjectSite>> sites)
    {
        var attributed = new List<Finding>(findings.Count);
        foreach (var f in findings)
        {
            if (f.Resource is not null || !sites.TryGetValue(SiteKey(f.File, f.Commit), out var list))
            {
                attributed.Add(f);
                continue;
            }
            ObjectSite? site = null;
            foreach (var candidate in list)
            {
                if (candidate.Start.Line <= f.Position.Line && (site is null || candidate.Start.Line >= site.Start.Line))
                    site = candidate;
            }
            attributed.Add(site is null ? f : f with { Resource = site.Resource, IgnoreAnnotations = site.IgnoreAnnotations, ObjectByLine = f.Commit is not null });
        }
        return attributed;
    }

    /// <summary>What makes two findings the same for <see cref="Filter"/>.</summary>
    private readonly record struct FindingKey(string RuleId, string File, int Line, string Detail, ObjectReference? Resource);

    /// <summary>
    /// A file, of one commit for history. A class, not a struct: a dictionary keyed by a struct asks for
    /// <c>EqualityComparer&lt;TextKey&gt;.Default</c> even when given a comparer, and the runtime would build and
    /// compile that at run time.
    /// </summary>
    private sealed record TextKey(string File, string? Commit);

    /// <param name="baseDirectory">The folder the files' names are relative to, for the config's path patterns.</param>
    private List<Finding> Filter(IReadOnlyList<Finding> raw, List<Finding> knownBefore, AuditContext context, AuditStats stats, WorkTrees trees, string baseDirectory)
    {
        var seen = new HashSet<FindingKey>();
        var kept = new List<Finding>();
        var specific = new Dictionary<TextKey, SpecificSecrets>();
        foreach (var f in raw.Concat(knownBefore))
        {
            if (f.RuleId != GenericRuleId && f.Secrets.Count > 0)
            {
                var text = new TextKey(f.File, f.Commit?.Sha);
                if (!specific.TryGetValue(text, out var secrets))
                    specific[text] = secrets = new SpecificSecrets();
                secrets.Add(f.Secrets);
            }
        }
        foreach (var finding in raw)
        {
            // The generic pattern yields to any more specific finding about the same value in the same file (gitleaks
            // does the same on a line): a Secret's base64 value is one plaintext Secret (KW101, on its data key), not
            // also a generic key; the generic finding on what it decodes to says what the value is, and stays.
            if (finding.RuleId == GenericRuleId && specific.TryGetValue(new TextKey(finding.File, finding.Commit?.Sha), out var others)
                && others.Overlap(finding.Secrets))
                continue;
            // One secret on one line is one finding, whichever object or text scan found it (and whichever commit: a
            // line committed again is the same leak); a finding about several values is the same one only with the
            // same values. Other findings name their object, since one kustomize base line rendered by two overlays
            // is two objects in a cluster.
            var key = finding.Secrets.Count > 0
                ? new FindingKey(finding.RuleId, finding.File, finding.Position.Line, string.Join('\0', finding.Secrets), null)
                : new FindingKey(finding.RuleId, finding.File, finding.Position.Line, finding.Message + finding.FieldPath, finding.Resource);
            if (!seen.Add(key))
                continue;
            var (root, treePath) = trees.Locate(finding.File);
            var identity = finding.IdentityFile is { } rendered ? trees.Locate(rendered).Path : treePath;
            var located = finding with { TreeRoot = root, TreePath = treePath, Fingerprint = Fingerprints.Of(finding, identity) };
            var rule = _registry.Find(finding.RuleId)!;
            SuppressionKind? why =
                Suppressions.ByAnnotation(finding.IgnoreAnnotations, rule) ? SuppressionKind.Annotation
                : Suppressions.ByComment(finding.Source ?? context.Text(finding.File), finding, rule) ? SuppressionKind.InlineComment
                : Suppressions.ByConfig(_options.Config, finding, baseDirectory) ? SuppressionKind.Config
                : Suppressions.ByAllowlist(_options.Config, finding) ? SuppressionKind.Allowlist
                : _options.Baseline?.Accepts(located) == true ? SuppressionKind.Baseline
                : null;
            if (why is { } kind)
            {
                stats.CountSuppressed(kind);
                continue;
            }
            kept.Add(_options.Config.SeverityOverrides.TryGetValue(finding.RuleId, out var severity) ? located with { Severity = severity } : located);
        }
        return InReportOrder(kept);
    }

    /// <summary>
    /// By file, commit date (undated first), line, column and rule; findings equal in all five keep their order.
    /// Sorted through an index array, which keeps the sort stable without LINQ's generic sorters.
    /// </summary>
    private static List<Finding> InReportOrder(List<Finding> findings)
    {
        var order = new int[findings.Count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        Array.Sort(order, (x, y) =>
        {
            Finding a = findings[x], b = findings[y];
            int c = string.CompareOrdinal(a.File, b.File);
            if (c == 0)
                c = (a.Commit, b.Commit) switch
                {
                    (null, null) => 0,
                    (null, _) => -1,
                    (_, null) => 1,
                    _ => a.Commit.AuthorDate.CompareTo(b.Commit.AuthorDate),
                };
            if (c == 0)
                c = a.Position.Line.CompareTo(b.Position.Line);
            if (c == 0)
                c = a.Position.Column.CompareTo(b.Position.Column);
            if (c == 0)
                c = string.CompareOrdinal(a.RuleId, b.RuleId);
            return c != 0 ? c : x.CompareTo(y);
        });
        var sorted = new List<Finding>(order.Length);
        foreach (int i in order)
            sorted.Add(findings[i]);
        return sorted;
    }
}
