using System.CommandLine;
using System.Globalization;
using System.Text;
using Keyward.Audit;
using Keyward.Audit.Reports;
using Keyward.Core;

namespace Keyward.Cli.Commands.Audit;

/// <summary><c>keyward audit</c>: leaked secrets, over-broad access and unhardened workloads in manifests and Git history.</summary>
internal static class AuditCommand
{
    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders to audit (default: the current folder); - reads rendered manifests from stdin", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Report format: text, json, sarif or html (with --rules: text, markdown or patterns)", HelpName = "FORMAT", DefaultValueFactory = _ => "text" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to FILE (atomically) instead of stdout", HelpName = "FILE" };
        var failOn = new Option<string>("--fail-on") { Description = "Exit 1 when a finding has this severity or higher: info, low, medium, high, critical or none", HelpName = "SEVERITY", DefaultValueFactory = _ => "high" };
        var rules = new Option<bool>("--rules") { Description = "List the rules and exit" };
        var explain = new Option<string?>("--explain") { Description = "Explain rule ID (why, fix, examples) and exit", HelpName = "ID" };
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Show secret values in reports instead of masking them" };
        var config = new Option<string?>("--config") { Description = "Config file (default: the nearest .keyward.yaml from the current folder, or the first path, up to the top of its Git work tree)", HelpName = "FILE" };
        var baseline = new Option<string?>("--baseline") { Description = "Do not report findings whose fingerprints are in FILE", HelpName = "FILE" };
        var writeBaseline = new Option<string?>("--write-baseline") { Description = "Write the fingerprints of all current findings to FILE", HelpName = "FILE" };
        var git = new Option<bool>("--git") { Description = "Scan the lines added by every commit of the Git history" };
        var since = new Option<string?>("--since") { Description = "With --git: only commits after REV (REV..HEAD); REV must name a commit", HelpName = "REV" };
        var staged = new Option<bool>("--staged") { Description = "Scan what is staged for commit (pre-commit hook)" };
        var only = new Option<string[]>("--rule") { Description = "Run only rule ID (repeatable; it runs even if the config turns it off)", HelpName = "ID" };
        var category = new Option<string[]>("--category") { Description = "Run only rules of CATEGORY (repeatable)", HelpName = "CATEGORY" };
        var noKustomize = new Option<bool>("--no-kustomize") { Description = "Do not render kustomize folders with kubectl; scan their files one by one" };
        // Read as text and parsed here: the error then says what the option takes (not "expected type System.Int32").
        var maxSize = new Option<string>("--max-file-size") { Description = $"Skip files larger than MB megabytes (default {AuditInputs.DefaultMaxFileBytes / 1048576})", HelpName = "MB" };
        var command = new Command("audit", "Find leaked secrets, over-broad access and unhardened workloads in manifests and Git history")
        {
            paths, format, output, failOn, rules, explain, showSecrets, config, baseline, writeBaseline, git, since, staged, only, category, noKustomize, maxSize,
        };
        command.SetAction(parse =>
        {
            var fmt = parse.GetValue(format)!.ToLowerInvariant();
            var registry = RuleRegistry.BuiltIn;
            if (parse.GetValue(explain) is { } id)
            {
                var rule = registry.Find(id) ?? throw new KeywardException($"unknown rule \"{id}\"", "list the rules with keyward audit --rules", FailureKind.Usage);
                return Emit(console, parse.GetValue(output), w => RulesDocument.WriteExplain(w, rule));
            }
            if (parse.GetValue(rules))
            {
                return fmt switch
                {
                    "markdown" => Emit(console, parse.GetValue(output), w => RulesDocument.Write(w, registry)),
                    // One regex per line, for running the same credential patterns with another tool (rg -f, grep -E -f).
                    "patterns" => Emit(console, parse.GetValue(output), w => RulesDocument.WritePatterns(w, registry)),
                    "text" => Emit(console, parse.GetValue(output), w => RulesDocument.WriteList(w, registry)),
                    _ => throw new KeywardException($"--rules has no format \"{fmt}\"", "use text, markdown (what docs/rules.md is made of) or patterns (one regex a line)", FailureKind.Usage),
                };
            }
            if (fmt is not ("text" or "json" or "sarif" or "html"))
                throw new KeywardException($"unknown format \"{fmt}\"", "use text, json, sarif or html", FailureKind.Usage);
            var threshold = ParseThreshold(parse.GetValue(failOn)!);
            var options = new AuditOptions
            {
                Config = LoadConfig(parse.GetValue(config), registry, parse.GetValue(paths) ?? [], console),
                Baseline = parse.GetValue(baseline) is { } b ? Baseline.Load(b) : null,
                OnlyRules = Rules(parse.GetValue(only), registry),
                OnlyCategories = Categories(parse.GetValue(category)),
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var inputs = new AuditInputs { RenderKustomize = !parse.GetValue(noKustomize), MaxFileBytes = MaxFileBytes(parse.GetValue(maxSize)) };
            var targets = parse.GetValue(paths) is { Length: > 0 } p ? p : ["."];
            RefuseToOverwriteInput(targets, parse.GetValue(output));
            if (parse.GetValue(git) && parse.GetValue(staged))
                throw new KeywardException("--git and --staged scan different things", "use --git for the history, --staged for what is about to be committed (two runs for both)", FailureKind.Usage);
            if (parse.GetValue(git) || parse.GetValue(staged))
            {
                // Folders and files of one repository (pre-commit may pass the files being committed).
                var scope = targets.Select(t => t == "-" ? "." : t).ToList();
                if (parse.GetValue(staged))
                    GitHistory.AddStaged(inputs, scope);
                else
                    GitHistory.AddHistory(inputs, scope, parse.GetValue(since));
            }
            else
            {
                if (parse.GetValue(since) is not null)
                    throw new KeywardException("--since needs --git", "add --git to scan history", FailureKind.Usage);
                foreach (var target in targets)
                {
                    if (target == "-")
                        inputs.AddStdin(console.Stdin);
                    else
                        inputs.AddPath(target);
                }
            }
            var read = clock.Elapsed;
            var result = new Auditor(registry, options).Run(inputs);
            var audited = clock.Elapsed;
            var baselinePath = parse.GetValue(writeBaseline);
            if (baselinePath is not null)
                Baseline.Write(baselinePath, result.Findings);
            var report = new ReportOptions { ShowSecrets = parse.GetValue(showSecrets), Color = console.StdoutIsTerminal && parse.GetValue(output) is null && console.Environment("NO_COLOR") is null };
            WriteReport(console, parse.GetValue(output), fmt, result, report);
            if (fmt != "text" || parse.GetValue(output) is not null)
            {
                // The text report on stdout ends with them; other formats and files leave them to stderr.
                console.Stderr.WriteLine($"keyward: {TextReport.Summary(result)}");
                foreach (var notice in result.Stats.Notices)
                    console.Stderr.WriteLine($"keyward: note: {notice}");
            }
            if (parse.GetValue(KeywardApp.DebugOption))
                console.Stderr.WriteLine(Timings(read, audited - read, clock.Elapsed - audited));
            if (baselinePath is not null)
            {
                // Every finding is now accepted: the run that records them is setup, not a failed check.
                int count = result.Findings.Count;
                console.Stderr.WriteLine($"keyward: wrote the baseline \"{baselinePath}\": {count} finding{(count == 1 ? "" : "s")} accepted; pass --baseline {baselinePath} so that only new ones fail");
                return ExitCodes.Success;
            }
            return threshold is { } t && result.HasFindingsAtOrAbove(t) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// A report written over a file the audit reads would replace the user's manifest with findings about it: the
    /// output may not be a file named on the command line, nor an existing file inside a folder audited, unless it is
    /// a report keyward wrote before (written again each run). Links, the folders' included, are followed to what they name.
    /// </summary>
    private static void RefuseToOverwriteInput(IEnumerable<string> targets, string? output)
    {
        if (output is null or "-")
            return;
        var written = AtomicFile.Canonical(output);
        if (!File.Exists(written))
            return;
        foreach (var target in targets)
        {
            if (target == "-")
                continue;
            var audited = AtomicFile.Canonical(target);
            bool inside = Directory.Exists(audited) && written.StartsWith(Path.TrimEndingDirectorySeparator(audited) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            if (written == audited || inside && !IsReport(written))
                throw new KeywardException($"the output \"{output}\" is one of the files audited", "write the report to another file", FailureKind.Usage);
        }
    }

    private static bool IsReport(string path)
    {
        using var reader = new StreamReader(path);
        var head = new char[KeywardReports.HeadLength];
        return KeywardReports.IsReportHead(head.AsSpan(0, reader.ReadBlock(head)));
    }

    /// <summary>Where an audit's time and memory went, for --debug (and the benchmarks).</summary>
    private static string Timings(TimeSpan read, TimeSpan audit, TimeSpan report) => string.Create(CultureInfo.InvariantCulture,
        $"keyward: debug: read {read.TotalSeconds:F3} s, audit {audit.TotalSeconds:F3} s, report {report.TotalSeconds:F3} s; " +
        $"GC gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, pauses {GC.GetTotalPauseDuration().TotalSeconds:F3} s, " +
        $"JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods in {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:F3} s, " +
        $"allocated {GC.GetTotalAllocatedBytes() / 1048576.0:F0} MiB, peak working set {Environment.WorkingSet / 1048576.0:F0} MiB");

    private static void WriteReport(CliConsole console, string? output, string format, AuditResult result, ReportOptions options)
    {
        void Render(Stream s)
        {
            switch (format)
            {
                case "json":
                    JsonReport.Write(s, result, options);
                    s.Write("\n"u8);
                    break;
                case "sarif":
                    SarifReport.Write(s, result, options);
                    s.Write("\n"u8);
                    break;
                default:
                    using (var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                    {
                        if (format == "html")
                            HtmlReport.Write(w, result, options);
                        else
                            TextReport.Write(w, result, options);
                    }
                    break;
            }
        }
        if (output is null or "-")
        {
            Render(console.Stdout);
            console.Stdout.Flush();
        }
        else
        {
            // Unmasked secrets get a secret's mode, whatever the umask or an existing file's mode says.
            AtomicFile.Write(output, Render, options.ShowSecrets ? AtomicWriteOptions.Private : null);
        }
        if (format == "sarif" && result.Findings.Count > SarifResultLimit)
        {
            console.Stderr.WriteLine($"keyward: note: {result.Findings.Count} results: GitHub code scanning rejects a SARIF run of more than {SarifResultLimit}; " +
                "narrow it (--category, --fail-on with a baseline, .keyward.yaml excludes) before uploading");
        }
    }

    /// <summary>GitHub code scanning's limit on results in one SARIF run.</summary>
    private const int SarifResultLimit = 25_000;

    private static int Emit(CliConsole console, string? output, Action<TextWriter> write)
    {
        if (output is null or "-")
        {
            using var w = new StreamWriter(console.Stdout, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            write(w);
        }
        else
        {
            AtomicFile.Write(output, s =>
            {
                using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                write(w);
            });
        }
        return ExitCodes.Success;
    }

    private const int MaxFileSizeLimitMb = 1 << 20;

    private static long MaxFileBytes(string? megabytes)
    {
        if (megabytes is null)
            return AuditInputs.DefaultMaxFileBytes;
        if (int.TryParse(megabytes, NumberStyles.None, CultureInfo.InvariantCulture, out int mb) && mb is >= 1 and <= MaxFileSizeLimitMb)
            return mb * 1048576L;
        throw new KeywardException($"--max-file-size takes a whole number of megabytes from 1 to {MaxFileSizeLimitMb}, not \"{megabytes}\"",
            "for example --max-file-size 20 to scan files up to 20 MB", FailureKind.Usage);
    }

    private static Severity? ParseThreshold(string text) =>
        text.Equals("none", StringComparison.OrdinalIgnoreCase) ? null
        : AuditNames.ParseSeverity(text) ?? throw new KeywardException($"unknown severity \"{text}\" for --fail-on", "use info, low, medium, high, critical or none", FailureKind.Usage);

    private static AuditConfig LoadConfig(string? path, RuleRegistry registry, IReadOnlyList<string> targets, CliConsole console)
    {
        if (path is null)
        {
            if (FindConfig(targets) is not { } found)
                return AuditConfig.Empty;
            path = found;
            if (path != ConfigName)
                console.Stderr.WriteLine($"keyward: note: using \"{path}\"");
        }
        if (!File.Exists(path))
            throw new KeywardException($"config file \"{path}\" does not exist", "check the --config path", FailureKind.Usage);
        return AuditConfig.Parse(File.ReadAllText(path), path, registry);
    }

    private const string ConfigName = ".keyward.yaml";

    /// <summary>
    /// The .keyward.yaml of the current folder; else the nearest one up to the top of its Git work tree; else the same
    /// from the first audited path. A monorepo job that runs in a subfolder, or a checkout audited from outside it,
    /// gets the repository's config (severities raised there are what fails CI). Outside a work tree only the folder
    /// itself is looked at: a stray config in a parent folder or the home folder is not the repository's.
    /// </summary>
    private static string? FindConfig(IReadOnlyList<string> targets)
    {
        if (File.Exists(ConfigName))
            return ConfigName;
        var starts = new List<string> { Directory.GetCurrentDirectory() };
        if (targets.Count > 0 && targets[0] != "-" && Path.GetFullPath(targets[0]) is var first)
            starts.Add(Directory.Exists(first) ? first : Path.GetDirectoryName(first) ?? first);
        foreach (var start in starts)
        {
            var root = WorkTrees.RootAbove(start);
            for (var folder = start; folder is not null; folder = root is null ? null : Path.GetDirectoryName(folder))
            {
                var candidate = Path.Combine(folder, ConfigName);
                if (File.Exists(candidate))
                    return Path.GetRelativePath(Directory.GetCurrentDirectory(), candidate);
                if (folder == root)
                    break;
            }
        }
        return null;
    }

    private static string[]? Rules(string[]? ids, RuleRegistry registry)
    {
        if (ids is null || ids.Length == 0)
            return null;
        foreach (var id in ids)
        {
            if (registry.Find(id) is null)
                throw new KeywardException($"unknown rule \"{id}\"", "list the rules with keyward audit --rules", FailureKind.Usage);
        }
        return ids;
    }

    private static Category[]? Categories(string[]? names)
    {
        if (names is null || names.Length == 0)
            return null;
        return [.. names.Select(n => AuditNames.ParseCategory(n) ?? throw new KeywardException($"unknown category \"{n}\"",
            "categories: " + string.Join(", ", Enum.GetValues<Category>().Select(c => c.Name())), FailureKind.Usage))];
    }
}
