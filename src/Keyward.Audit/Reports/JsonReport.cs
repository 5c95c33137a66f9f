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
        var excerpts = new Excerpts(result, options);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("version", 1);
        w.WriteStartObject("tool");
        w.WriteString("name", "keyward");
        w.WriteString("version", options.ToolVersion);
        // Said at the top, where keyward looks when it meets a report among the files it audits: a masked report is
        // skipped, one with --show-secrets is scanned like any other file.
        w.WriteString("secrets", options.ShowSecrets ? "shown" : "masked");
        w.WriteEndObject();
        WriteSummary(w, result);
        w.WriteStartArray("findings");
        var repeated = new RepeatedValues();
        foreach (var f in result.Findings)
        {
            WriteFinding(w, f, options, excerpts, repeated);
            // The writer buffers everything until flushed: hand the stream 64 KiB at a time instead of one growing copy.
            if (w.BytesPending > 1 << 16)
                w.Flush();
        }
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
        w.WriteNumber("excluded", s.Excluded);
        w.WriteEndObject();
        // What the run could not do or chose not to (a shallow clone's missing history, excluded files, a rule the
        // config turned off that --rule ran): a CI job reading only this file should see it too.
        w.WriteStartArray("notes");
        foreach (var notice in s.Notices)
            w.WriteStringValue(notice);
        w.WriteEndArray();
    }

    // Property names encoded once, and the values that repeat from finding to finding (rule names, remediations,
    // kinds, files) once per report: escaping and transcoding them for each of tens of thousands of findings was
    // most of the report's time.
    private static readonly JsonEncodedText RuleIdName = JsonEncodedText.Encode("ruleId");
    private static readonly JsonEncodedText RuleName = JsonEncodedText.Encode("rule");
    private static readonly JsonEncodedText CategoryName = JsonEncodedText.Encode("category");
    private static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");
    private static readonly JsonEncodedText FileName = JsonEncodedText.Encode("file");
    private static readonly JsonEncodedText LineName = JsonEncodedText.Encode("line");
    private static readonly JsonEncodedText ColumnName = JsonEncodedText.Encode("column");
    private static readonly JsonEncodedText ObjectName = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText ApiVersionName = JsonEncodedText.Encode("apiVersion");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText NamespaceName = JsonEncodedText.Encode("namespace");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText FieldPathName = JsonEncodedText.Encode("fieldPath");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText RemediationName = JsonEncodedText.Encode("remediation");
    private static readonly JsonEncodedText FingerprintName = JsonEncodedText.Encode("fingerprint");
    private static readonly JsonEncodedText SecretName = JsonEncodedText.Encode("secret");
    private static readonly JsonEncodedText ExcerptName = JsonEncodedText.Encode("excerpt");
    private static readonly JsonEncodedText CommitName = JsonEncodedText.Encode("commit");

    /// <summary>Encoded values that recur in one report; bounded, so a report of unique values does not grow it without end.</summary>
    private sealed class RepeatedValues
    {
        private const int Limit = 4096;

        // Boxed in a class: a dictionary of the JsonEncodedText struct is generic code the JIT compiles on every run.
        private readonly Dictionary<string, Encoded> _encoded = new(StringComparer.Ordinal);

        private sealed record Encoded(JsonEncodedText Text);

        public void Write(Utf8JsonWriter w, JsonEncodedText name, string? value)
        {
            if (value is null)
            {
                w.WriteNull(name);
                return;
            }
            if (!_encoded.TryGetValue(value, out var encoded))
            {
                if (_encoded.Count >= Limit)
                {
                    w.WriteString(name, value);
                    return;
                }
                _encoded[value] = encoded = new Encoded(JsonEncodedText.Encode(value));
            }
            w.WriteString(name, encoded.Text);
        }
    }

    private static void WriteFinding(Utf8JsonWriter w, Finding f, ReportOptions options, Excerpts excerpts, RepeatedValues repeated)
    {
        w.WriteStartObject();
        repeated.Write(w, RuleIdName, f.RuleId);
        repeated.Write(w, RuleName, f.RuleName);
        repeated.Write(w, CategoryName, f.Category.Name());
        repeated.Write(w, SeverityName, f.Severity.Name());
        repeated.Write(w, FileName, f.File);
        w.WriteNumber(LineName, f.Position.Line);
        w.WriteNumber(ColumnName, f.Position.Column);
        if (f.Resource is { } o)
        {
            w.WriteStartObject(ObjectName);
            repeated.Write(w, ApiVersionName, o.ApiVersion);
            repeated.Write(w, KindName, o.Kind);
            repeated.Write(w, NamespaceName, o.Namespace);
            w.WriteString(NameName, o.Name);
            w.WriteEndObject();
        }
        if (f.FieldPath is not null)
            w.WriteString(FieldPathName, f.FieldPath);
        w.WriteString(MessageName, f.Message);
        repeated.Write(w, RemediationName, f.Remediation);
        w.WriteString(FingerprintName, f.Fingerprint);
        if (options.Secret(f) is { } secret)
            w.WriteString(SecretName, secret);
        if (excerpts.For(f) is { } excerpt)
            w.WriteString(ExcerptName, excerpt);
        if (f.Commit is { } c)
        {
            w.WriteStartObject(CommitName);
            w.WriteString("sha", c.Sha);
            w.WriteString("authorDate", c.AuthorDate);
            w.WriteString("author", c.Author);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
