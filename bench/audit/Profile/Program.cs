using System.Diagnostics;
using Keyward.Audit;
using Keyward.Audit.Reports;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

// Usage: AuditProfile FOLDER [--audits-only]. Where the time of an audit goes, in one process: reading, YAML
// (Keyward's reader against YamlDotNet's, cold then warm), each rule, whole audits cold then warm, the JSON report.
// --audits-only skips to the whole audits, so the first is as cold as in a fresh keyward process. --alloc samples
// the runtime's allocation events (one per ~100 KB) during the audits and prints the types that take the most.
var folder = args.Length > 0 ? args[0] : "/tmp/keyward-audit-bench/repo";
bool auditsOnly = args.Contains("--audits-only");
using var allocations = args.Contains("--alloc") ? new AllocationSampler() : null;
var sw = Stopwatch.StartNew();
var inputs = new AuditInputs { RenderKustomize = false };
inputs.AddPath(folder);
var manifests = inputs.Texts.Where(AuditInputs.IsManifest).ToList();
double mb = manifests.Sum(t => (double)System.Text.Encoding.UTF8.GetByteCount(t.Text)) / 1048576;
Console.WriteLine($"read      {sw.Elapsed.TotalSeconds,7:F3} s  ({inputs.Texts.Count} files, {mb:F1} MB of YAML)");

if (!auditsOnly)
    ProfileParts();

AuditResult? result = null;
for (int pass = 1; pass <= 3; pass++)
{
    GC.Collect();
    long before = GC.GetTotalAllocatedBytes();
    sw.Restart();
    result = new Auditor(RuleRegistry.BuiltIn).Run(inputs);
    double run = sw.Elapsed.TotalSeconds;
    Console.WriteLine($"audit {pass}   {run,7:F3} s  {mb / run,6:F1} MB/s  ({result.Findings.Count} findings, {(GC.GetTotalAllocatedBytes() - before) / 1048576.0:F0} MiB allocated)");
}
sw.Restart();
JsonReport.Write(Stream.Null, result!, new ReportOptions());
Console.WriteLine($"report    {sw.Elapsed.TotalSeconds,7:F3} s (json)");
allocations?.Print(3);

// Reading and each rule alone, cold then warm.
void ProfileParts()
{
    for (int pass = 1; pass <= 3; pass++)
    {
        sw.Restart();
        foreach (var text in manifests)
            YamlDocuments.Read(text.Text);
        double keyward = sw.Elapsed.TotalSeconds;
        sw.Restart();
        foreach (var text in manifests)
            new YamlDotNet.RepresentationModel.YamlStream().Load(new StringReader(text.Text));
        double reference = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"yaml {pass}    keyward {keyward,6:F3} s {mb / keyward,6:F1} MB/s   YamlDotNet {reference,6:F3} s {mb / reference,5:F1} MB/s   ratio {keyward / reference:F3}");
    }

    var documents = manifests.SelectMany(t => ManifestLoader.Load(t.Text, t.File).Documents).ToList();
    var context = new AuditContext(documents, inputs.Texts);
    var sink = new FindingSink(context.Text);

    // What the trees are made of, and what building them allocates (the text itself is read before).
    long allocated = GC.GetAllocatedBytesForCurrentThread();
    foreach (var text in manifests)
        ManifestLoader.Load(text.Text, text.File);
    Console.WriteLine($"trees     {(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0:F1} MiB allocated");
    var shape = new TreeShape();
    foreach (var doc in documents)
        shape.Walk(doc.Root);
    Console.WriteLine($"          {shape}");

    // Each rule alone over every text and document: a cold pass (compiling), then warm ones.
    var rows = new List<(string Rule, double Text, double Docs, double Repo, long Allocated)>();
    for (int pass = 1; pass <= 3; pass++)
    {
        rows.Clear();
        foreach (var rule in RuleRegistry.BuiltIn.Rules)
        {
            sink.Current = rule;
            allocated = GC.GetAllocatedBytesForCurrentThread();
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
            rows.Add((rule.Id, t, d, sw.Elapsed.TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - allocated));
        }
        Console.WriteLine($"rules {pass}   text {rows.Sum(r => r.Text),7:F3} s  documents {rows.Sum(r => r.Docs),7:F3} s  repository {rows.Sum(r => r.Repo),7:F3} s  {rows.Sum(r => r.Allocated) / 1048576.0,6:F1} MiB allocated");
    }
    documents = null;
    context = null;
    foreach (var r in rows.OrderByDescending(r => r.Text + r.Docs + r.Repo).Take(12))
        Console.WriteLine($"  {r.Rule,-7} text {r.Text,7:F3}  docs {r.Docs,7:F3}  repo {r.Repo,7:F3}  {r.Allocated / 1048576.0,5:F1} MiB");
}

/// <summary>Node counts of the parsed trees, and the distinct strings they hold.</summary>
internal sealed class TreeShape
{
    private readonly HashSet<string> _strings = new(ReferenceEqualityComparer.Instance);
    private long _maps, _entries, _lists, _items, _scalars, _chars;

    public void Walk(YamlValue value)
    {
        switch (value)
        {
            case YamlMap map:
                _maps++;
                _entries += map.Count;
                for (int i = 0; i < map.Count; i++)
                {
                    Count(map.KeyAt(i).Value);
                    Walk(map.ValueAt(i));
                }
                break;
            case YamlList list:
                _lists++;
                _items += list.Count;
                foreach (var item in list.Items)
                    Walk(item);
                break;
            case YamlScalar scalar:
                _scalars++;
                Count(scalar.Value);
                break;
        }
    }

    private void Count(string s)
    {
        if (_strings.Add(s))
            _chars += s.Length;
    }

    public override string ToString() =>
        $"{_maps} mappings ({_entries} keys), {_lists} sequences ({_items} items), {_scalars} scalar values, {_strings.Count} distinct strings ({_chars} characters)";
}

/// <summary>Allocation by type, sampled from the runtime's AllocationTick events (one per ~100 KB allocated).</summary>
internal sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
{
    private readonly Dictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
            return;
        int typeIndex = e.PayloadNames!.IndexOf("TypeName");
        int amountIndex = e.PayloadNames.IndexOf("AllocationAmount64");
        string type = typeIndex >= 0 ? e.Payload[typeIndex] as string ?? "?" : "?";
        int sizeIndex = e.PayloadNames.IndexOf("ObjectSize");
        if (type == "System.String" && sizeIndex >= 0)
        {
            long size = Convert.ToInt64(e.Payload[sizeIndex], System.Globalization.CultureInfo.InvariantCulture);
            type += size < 64 ? " (<64 B)" : size < 256 ? " (<256 B)" : size < 4096 ? " (<4 KB)" : " (>=4 KB)";
        }
        long amount = amountIndex >= 0 ? Convert.ToInt64(e.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (_bytes)
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
    }

    public void Print(int runs)
    {
        lock (_bytes)
        {
            long total = _bytes.Values.Sum();
            Console.WriteLine($"allocated (sampled) {total / 1048576.0 / runs,7:F1} MiB per audit");
            foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(25))
                Console.WriteLine($"  {bytes / 1048576.0 / runs,7:F1} MiB  {type}");
        }
    }
}
