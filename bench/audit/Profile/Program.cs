using System.Diagnostics;
using Keyward.Audit;
using Keyward.Audit.Reports;
using Keyward.Manifests;

// Usage: AuditProfile FOLDER. Prints where the time of one audit goes: reading, parsing, each rule, the report.
var folder = args.Length > 0 ? args[0] : "/tmp/keyward-audit-bench/repo";
var total = Stopwatch.StartNew();
var sw = Stopwatch.StartNew();
var inputs = new AuditInputs { RenderKustomize = false };
inputs.AddPath(folder);
long bytes = inputs.Texts.Sum(t => (long)t.Text.Length);
Console.WriteLine($"read      {sw.Elapsed.TotalSeconds,7:F3} s  ({inputs.Texts.Count} files, {bytes / 1048576.0:F1} M chars)");
sw.Restart();
var documents = new List<ManifestDocument>();
foreach (var text in inputs.Texts.Where(inputs.IsManifest))
    documents.AddRange(ManifestLoader.Load(text.Text, text.File).Documents);
double parse = sw.Elapsed.TotalSeconds;
Console.WriteLine($"parse     {parse,7:F3} s  ({documents.Count} documents, {bytes / 1048576.0 / parse:F1} M chars/s)");
Console.WriteLine($"heap      {GC.GetTotalMemory(true) / 1048576.0,7:F0} MB after parse");
var context = new AuditContext(documents, inputs.Texts);
var sink = new FindingSink(context.Text);
var rows = new List<(string Rule, double Text, double Docs, double Repo)>();
foreach (var rule in RuleRegistry.BuiltIn.Rules)
{
    sink.Current = rule;
    sw.Restart();
    foreach (var text in inputs.Texts)
        rule.CheckText(text, sink);
    double t = sw.Elapsed.TotalSeconds;
    sw.Restart();
    foreach (var doc in documents)
        rule.CheckDocument(doc, context, sink);
    double d = sw.Elapsed.TotalSeconds;
    sw.Restart();
    rule.CheckRepository(context, sink);
    rows.Add((rule.Id, t, d, sw.Elapsed.TotalSeconds));
}
Console.WriteLine($"rules     text {rows.Sum(r => r.Text),7:F3} s  documents {rows.Sum(r => r.Docs),7:F3} s  repository {rows.Sum(r => r.Repo),7:F3} s  ({sink.Findings.Count} raw findings)");
foreach (var r in rows.OrderByDescending(r => r.Text + r.Docs + r.Repo).Take(12))
    Console.WriteLine($"  {r.Rule,-7} text {r.Text,7:F3}  docs {r.Docs,7:F3}  repo {r.Repo,7:F3}");
sw.Restart();
var result = new Auditor(RuleRegistry.BuiltIn).Run(inputs);
Console.WriteLine($"full Run  {sw.Elapsed.TotalSeconds,7:F3} s  ({result.Findings.Count} findings)");
sw.Restart();
using (var sinkStream = Stream.Null)
    JsonReport.Write(sinkStream, result, new ReportOptions());
Console.WriteLine($"report    {sw.Elapsed.TotalSeconds,7:F3} s (json)");
Console.WriteLine($"total     {total.Elapsed.TotalSeconds,7:F3} s");
