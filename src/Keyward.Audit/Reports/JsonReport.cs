using System.Text.Json;

namespace Keyward.Audit.Reports;

/// <summary>
/// The JSON report (schema in docs/audit.md): <c>{version, tool, summary, findings[]}</c>. Secrets appear only masked
/// unless <see cref="ReportOptions.ShowSecrets"/>.
/// </summary>
public static class JsonReport
{
    public static void Write(Stream stream, AuditResult result, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("version", 1);
        w.WriteStartObject("tool");
        w.WriteString("name", "keyward");
        w.WriteString("version", options.ToolVersion);
        w.WriteEndObject();
        WriteSummary(w, result);
        w.WriteStartArray("findings");
        foreach (var f in result.Findings)
            WriteFinding(w, f, options);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, AuditResult result)
    {
        var s = result.Stats;
        w.WriteStartObject("summary");
        w.WriteNumber("total", result.Findings.Count);
        w.WriteStartObject("bySeverity");
        foreach (var (severity, count) in ReportSummary.BySeverity(result))
            w.WriteNumber(severity.Name(), count);
        w.WriteEndObject();
        w.WriteStartObject("byRule");
        foreach (var (rule, count) in ReportSummary.ByRule(result))
            w.WriteNumber(rule, count);
        w.WriteEndObject();
        w.WriteStartObject("byNamespace");
        foreach (var (ns, count) in ReportSummary.ByNamespace(result))
            w.WriteNumber(ns, count);
        w.WriteEndObject();
        w.WriteNumber("files", s.FilesScanned);
        w.WriteNumber("objects", s.Documents);
        w.WriteNumber("commits", s.Commits);
        w.WriteNumber("suppressed", s.SuppressedTotal);
        w.WriteNumber("skippedBinary", s.SkippedBinary);
        w.WriteNumber("skippedLarge", s.SkippedLarge);
        w.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter w, Finding f, ReportOptions options)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", f.RuleId);
        w.WriteString("rule", f.RuleName);
        w.WriteString("category", f.Category.Name());
        w.WriteString("severity", f.Severity.Name());
        w.WriteString("file", f.File);
        w.WriteNumber("line", f.Position.Line);
        w.WriteNumber("column", f.Position.Column);
        if (f.Resource is { } o)
        {
            w.WriteStartObject("object");
            w.WriteString("apiVersion", o.ApiVersion);
            w.WriteString("kind", o.Kind);
            w.WriteString("namespace", o.Namespace);
            w.WriteString("name", o.Name);
            w.WriteEndObject();
        }
        if (f.FieldPath is not null)
            w.WriteString("fieldPath", f.FieldPath);
        w.WriteString("message", f.Message);
        w.WriteString("remediation", f.Remediation);
        w.WriteString("fingerprint", f.Fingerprint);
        if (options.Secret(f) is { } secret)
            w.WriteString("secret", secret);
        if (options.Excerpt(f) is { } excerpt)
            w.WriteString("excerpt", excerpt);
        if (f.Commit is { } c)
        {
            w.WriteStartObject("commit");
            w.WriteString("sha", c.Sha);
            w.WriteString("authorDate", c.AuthorDate);
            w.WriteString("author", c.Author);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
