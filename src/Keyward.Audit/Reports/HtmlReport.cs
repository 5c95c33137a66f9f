using System.Globalization;
using System.Net;

namespace Keyward.Audit.Reports;

/// <summary>
/// One self-contained HTML file (inline CSS, SVG charts and a small script; no external resource): summary by
/// severity, rule and namespace, then every finding with its masked excerpt. The script recounts the rows into
/// data attributes of body, so a headless browser can check that the page shows what the JSON says.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2rem;color:#1d232a;background:#fafafa}
        h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
        .cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;min-width:7rem}
        .card b{display:block;font-size:1.6rem}.charts{display:flex;gap:2rem;flex-wrap:wrap}
        table{border-collapse:collapse;width:100%;background:#fff;table-layout:fixed}td,th{border-bottom:1px solid #e5e5e5;padding:.4rem;text-align:left;vertical-align:top;font-size:.9rem;overflow-wrap:anywhere}
        th:nth-child(1){width:6rem}th:nth-child(2){width:11rem}th:nth-child(3){width:30%}figure{margin:0 0 1rem 0}
        code,pre{font-family:ui-monospace,monospace;font-size:.85rem}pre{margin:.3rem 0;background:#f3f3f3;padding:.3rem;white-space:pre-wrap}
        .sev{font-weight:600;text-transform:uppercase;font-size:.75rem}.critical{color:#a40000}.high{color:#d33}.medium{color:#b36b00}.low{color:#2a7ab0}.info{color:#666}
        """;

    private const string Script = """
        (function(){var rows=document.querySelectorAll('tr.finding');var b=document.body;b.dataset.renderedTotal=rows.length;
        ['critical','high','medium','low','info'].forEach(function(s){b.dataset['rendered'+s[0].toUpperCase()+s.slice(1)]=document.querySelectorAll('tr.finding[data-severity="'+s+'"]').length;});
        var t=document.getElementById('total');if(t&&String(rows.length)!==t.textContent){t.textContent+=' (table shows '+rows.length+')';}})();
        """;

    public static void Write(TextWriter w, AuditResult result, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var excerpts = new Excerpts(result, options);
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>keyward audit report</title>");
        w.WriteLine($"<meta name=\"keyward-secrets\" content=\"{(options.ShowSecrets ? "shown" : "masked")}\">"); // as in the JSON report
        w.WriteLine($"<style>{Style}</style></head><body>");
        w.WriteLine("<h1>keyward audit</h1>");
        w.WriteLine($"<p>{E(TextReport.Summary(result))}</p>");
        w.WriteLine("<div class=\"cards\">");
        w.WriteLine($"<div class=\"card\">findings<b id=\"total\">{result.Findings.Count}</b></div>");
        foreach (var (severity, count) in ReportSummary.BySeverity(result))
            w.WriteLine($"<div class=\"card {severity.Name()}\">{severity.Name()}<b id=\"count-{severity.Name()}\">{count}</b></div>");
        w.WriteLine("</div>");
        w.WriteLine("<div class=\"charts\">");
        Chart(w, "By severity", [.. ReportSummary.BySeverity(result).Select(x => new NameCount(x.Severity.Name(), x.Count))]);
        Chart(w, "By rule", [.. ReportSummary.ByRule(result).Take(15)]);
        Chart(w, "By namespace", [.. ReportSummary.ByNamespace(result).Take(15)]);
        w.WriteLine("</div>");
        w.WriteLine("<h2>Findings</h2>");
        w.WriteLine("<table><thead><tr><th>severity</th><th>rule</th><th>where</th><th>finding</th></tr></thead><tbody>");
        foreach (var f in result.Findings)
        {
            var obj = f.Resource is { } o ? $"<br><code>{E(o.ToString())}</code>" : "";
            var path = f.FieldPath is null ? "" : $"<br><code>{E(f.FieldPath)}</code>";
            var commit = f.Commit is { } c ? $"<br>commit <code>{E(c.Sha[..Math.Min(12, c.Sha.Length)])}</code> {E(c.AuthorDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}" : "";
            var excerpt = excerpts.For(f) is { } line ? $"<pre>{E(f.Position.Line.ToString(CultureInfo.InvariantCulture))} | {E(line.Trim())}</pre>" : "";
            w.WriteLine($"<tr class=\"finding\" data-severity=\"{f.Severity.Name()}\" data-rule=\"{f.RuleId}\"><td class=\"sev {f.Severity.Name()}\">{f.Severity.Name()}</td>" +
                        $"<td><b>{f.RuleId}</b><br>{E(f.RuleName)}</td><td><code>{E(f.File)}:{f.Position.Line}:{f.Position.Column}</code>{obj}{commit}</td>" +
                        $"<td>{E(f.Message)}{path}{excerpt}<br><small>fix: {E(f.Remediation)}</small></td></tr>");
        }
        w.WriteLine("</tbody></table>");
        w.WriteLine($"<script>{Script}</script>");
        w.WriteLine("</body></html>");
    }

    /// <summary>A horizontal bar chart as inline SVG.</summary>
    private static void Chart(TextWriter w, string title, IReadOnlyList<NameCount> bars)
    {
        int max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Count));
        int height = 22 * Math.Max(1, bars.Count) + 10;
        w.WriteLine($"<figure><figcaption>{E(title)}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"360\" height=\"{height}\" role=\"img\" aria-label=\"{E(title)}\">");
        for (int i = 0; i < bars.Count; i++)
        {
            var (label, count) = bars[i];
            int y = 5 + (i * 22);
            int width = (int)Math.Round(200.0 * count / max);
            w.WriteLine($"<text x=\"0\" y=\"{y + 14}\" font-size=\"12\">{E(label)}</text><rect x=\"110\" y=\"{y}\" width=\"{width}\" height=\"16\" fill=\"#5b7db1\"/><text x=\"{115 + width}\" y=\"{y + 13}\" font-size=\"12\">{count}</text>");
        }
        w.WriteLine("</svg></figure>");
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
