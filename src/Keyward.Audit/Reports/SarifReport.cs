using System.Globalization;
using System.Text.Json;

namespace Keyward.Audit.Reports;

/// <summary>
/// SARIF 2.1.0 for GitHub code scanning: one run, the rules that ran (unique ids), every result with a physical
/// location (GitHub rejects results without one), a partial fingerprint and a security-severity.
/// </summary>
public static class SarifReport
{
    public static void Write(Stream stream, AuditResult result, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var excerpts = new Excerpts(result, options);
        var rules = result.Rules.ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rules.Count; i++)
            index[rules[i].Id] = i;
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "keyward");
        w.WriteString("semanticVersion", options.ToolVersion);
        w.WriteStartObject("properties");
        w.WriteString("secrets", options.ShowSecrets ? "shown" : "masked"); // as in the JSON report
        w.WriteEndObject();
        w.WriteStartArray("rules");
        var severities = RuleSeverities(result);
        foreach (var rule in rules)
            WriteRule(w, rule, severities.TryGetValue(rule.Id, out var severity) ? severity : rule.Severity);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("results");
        var srcRoot = SourceRoot(result);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in result.Findings)
        {
            // Two values under one fingerprint (two tokens in one .env file) are two alerts to code scanning, which
            // merges results with the same partial fingerprint: the second and later are numbered, in report order.
            int n = occurrences[f.Fingerprint] = occurrences.GetValueOrDefault(f.Fingerprint) + 1;
            WriteResult(w, f, index[f.RuleId], excerpts, srcRoot, n == 1 ? f.Fingerprint : f.Fingerprint + "/" + n.ToString(CultureInfo.InvariantCulture));
            if (w.BytesPending > 1 << 16)
                w.Flush(); // as JsonReport: no single buffer of the whole report
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// The severity each rule's findings reach in this run. GitHub code scanning shows an alert with its rule's
    /// security-severity, not the result's: a severity set in .keyward.yaml, or a finding graver than its rule (a
    /// Docker socket among host paths), would otherwise show as the rule's default.
    /// </summary>
    private static Dictionary<string, Severity> RuleSeverities(AuditResult result)
    {
        var highest = new Dictionary<string, Severity>(StringComparer.Ordinal);
        foreach (var f in result.Findings)
        {
            if (!highest.TryGetValue(f.RuleId, out var seen) || f.Severity > seen)
                highest[f.RuleId] = f.Severity;
        }
        return highest;
    }

    private static void WriteRule(Utf8JsonWriter w, Rule rule, Severity severity)
    {
        w.WriteStartObject();
        w.WriteString("id", rule.Id);
        w.WriteString("name", ToPascal(rule.Name));
        w.WriteStartObject("shortDescription");
        w.WriteString("text", rule.Title);
        w.WriteEndObject();
        w.WriteStartObject("fullDescription");
        w.WriteString("text", rule.Why);
        w.WriteEndObject();
        // No helpUri: Keyward has no public home to link to yet, and code scanning shows the help text below instead.
        w.WriteStartObject("help");
        w.WriteString("text", rule.Fix);
        w.WriteString("markdown", $"**Why:** {rule.Why}\n\n**Fix:** {rule.Fix}\n\n`keyward audit --explain {rule.Id}` prints the rule with examples that fail and pass it.");
        w.WriteEndObject();
        w.WriteStartObject("defaultConfiguration");
        w.WriteString("level", Level(severity));
        w.WriteEndObject();
        w.WriteStartObject("properties");
        w.WriteStartArray("tags");
        w.WriteStringValue("security");
        w.WriteStringValue(rule.Category.Name());
        w.WriteEndArray();
        w.WriteString("security-severity", SecuritySeverity(severity));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// The folder result URIs are relative to (<c>%SRCROOT%</c>): the Git work tree of the findings, which code
    /// scanning takes as the repository's root, whichever folder keyward ran from. With findings in several work
    /// trees it is the first one's; the others get absolute file URIs.
    /// </summary>
    private static string? SourceRoot(AuditResult result) => result.Findings.Count == 0 ? null : result.Findings[0].TreeRoot;

    private static string Uri(Finding f, string? srcRoot)
    {
        if (f.TreePath is not { } path || f.TreeRoot is not { } root || path.StartsWith('<'))
            return System.Uri.EscapeDataString(f.File).Replace("%2F", "/", StringComparison.Ordinal);
        // Another work tree, or a file outside any above the folder keyward ran from: no relative path under
        // %SRCROOT% names it.
        if (root != srcRoot || path.StartsWith("../", StringComparison.Ordinal))
            return new System.Uri(Path.GetFullPath(Path.Combine(root, path))).AbsoluteUri;
        return System.Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal);
    }

    private static void WriteResult(Utf8JsonWriter w, Finding f, int ruleIndex, Excerpts excerpts, string? srcRoot, string fingerprint)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", f.RuleId);
        w.WriteNumber("ruleIndex", ruleIndex);
        w.WriteString("level", Level(f.Severity));
        w.WriteStartObject("message");
        w.WriteString("text", f.Message + (f.FieldPath is null ? "" : $" ({f.FieldPath})"));
        w.WriteEndObject();
        w.WriteStartArray("locations");
        w.WriteStartObject();
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        var uri = Uri(f, srcRoot);
        w.WriteString("uri", uri);
        if (!uri.StartsWith("file:", StringComparison.Ordinal))
            w.WriteString("uriBaseId", "%SRCROOT%");
        w.WriteEndObject();
        w.WriteStartObject("region");
        w.WriteNumber("startLine", Math.Max(1, f.Position.Line));
        w.WriteNumber("startColumn", Math.Max(1, f.Position.Column));
        if (excerpts.For(f) is { } excerpt)
        {
            w.WriteStartObject("snippet");
            w.WriteString("text", excerpt);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        if (f.Resource is { } o)
        {
            w.WriteStartArray("logicalLocations");
            w.WriteStartObject();
            w.WriteString("name", o.Name ?? "?");
            w.WriteString("fullyQualifiedName", o.ToString() + (f.FieldPath is null ? "" : "/" + f.FieldPath));
            w.WriteString("kind", "resource");
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("partialFingerprints");
        w.WriteString("keyward/v2", fingerprint);
        w.WriteEndObject();
        w.WriteStartObject("properties");
        w.WriteString("severity", f.Severity.Name());
        w.WriteString("category", f.Category.Name());
        if (f.Commit is { } c)
        {
            w.WriteString("commit", c.Sha);
            w.WriteString("authorDate", c.AuthorDate.ToString("O", CultureInfo.InvariantCulture));
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string Level(Severity s) => s switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    private static string SecuritySeverity(Severity s) => s switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        Severity.Low => "3.0",
        _ => "1.0",
    };

    private static string ToPascal(string kebab) =>
        string.Concat(kebab.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
