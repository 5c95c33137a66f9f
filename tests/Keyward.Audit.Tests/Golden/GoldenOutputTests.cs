using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keyward.Audit.Reports;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Golden;

/// <summary>
/// Golden reports for a fixed input (Golden/input): text, JSON, SARIF and HTML must equal the reviewed files in
/// Golden/expected (KEYWARD_UPDATE_GOLDEN=1 rewrites them for review). SARIF is also validated against the SARIF
/// 2.1.0 schema with Python's jsonschema, and the HTML is opened in headless Chromium, whose DOM must show the JSON's totals.
/// </summary>
public partial class GoldenOutputTests
{
    private static string Dir(params string[] parts) => Path.Combine([SharedMaterial.RepositoryRoot, "tests", "Keyward.Audit.Tests", "Golden", .. parts]);

    /// <summary>
    /// The input is audited from a copy outside the repository: fingerprints and SARIF URIs are relative to the Git
    /// work tree, and this checkout may be one (a clone) or not (an archive).
    /// </summary>
    internal static AuditResult Result()
    {
        var copy = Directory.CreateTempSubdirectory("keyward-golden-");
        try
        {
            CopyTree(Dir("input"), Path.Combine(copy.FullName, "input"));
            var inputs = new AuditInputs { BaseDirectory = copy.FullName };
            inputs.AddPath(Path.Combine(copy.FullName, "input"));
            return new Auditor(RuleRegistry.BuiltIn).Run(inputs);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from))
            CopyTree(folder, Path.Combine(to, Path.GetFileName(folder)));
    }

    internal static string Render(string format)
    {
        var result = Result();
        var options = new ReportOptions();
        using var ms = new MemoryStream();
        switch (format)
        {
            case "json": JsonReport.Write(ms, result, options); break;
            case "sarif": SarifReport.Write(ms, result, options); break;
            default:
                using (var w = new StreamWriter(ms, new UTF8Encoding(false), 4096, leaveOpen: true))
                {
                    if (format == "html")
                        HtmlReport.Write(w, result, options);
                    else
                        TextReport.Write(w, result, options);
                }
                break;
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [Theory]
    [InlineData("txt")]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("html")]
    public void Report_matches_its_golden_file(string format)
    {
        var actual = Render(format);
        var path = Dir("expected", "report." + format);
        if (Environment.GetEnvironmentVariable("KEYWARD_UPDATE_GOLDEN") == "1")
            File.WriteAllText(path, actual);
        Assert.Equal(File.ReadAllText(path), actual);
    }

    [RequiresToolFact("python3")]
    public void Sarif_is_valid_against_the_SARIF_2_1_0_schema()
    {
        Assert.Equal(0, ValidateSarif(Render("sarif")).ExitCode);
        // The validator does reject what the schema forbids.
        var broken = ValidateSarif(Render("sarif").Replace("\"level\": \"error\"", "\"level\": \"fatal\"", StringComparison.Ordinal));
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("fatal", broken.Stderr, StringComparison.Ordinal);
    }

    private static ExternalTool.Result ValidateSarif(string content)
    {
        var sarif = Path.Combine(Path.GetTempPath(), $"keyward-{Guid.NewGuid():N}.sarif");
        File.WriteAllText(sarif, content);
        try
        {
            var schema = SharedMaterial.Path("conformance", "sarif", "sarif-schema-2.1.0.json");
            var script = "import json,sys,jsonschema\ns=json.load(open(sys.argv[1]));d=json.load(open(sys.argv[2]))\n" +
                         "jsonschema.validators.validator_for(s)(s).validate(d)\nprint('valid', len(d['runs'][0]['results']))\n";
            var run = ExternalTool.Run("python3", ["-c", script, schema, sarif]);
            Assert.True(run.ExitCode != 0 || Encoding.UTF8.GetString(run.Stdout).StartsWith("valid ", StringComparison.Ordinal), run.Stderr);
            return run;
        }
        finally
        {
            File.Delete(sarif);
        }
    }

    [Fact]
    public void Sarif_has_what_GitHub_code_scanning_needs()
    {
        using var doc = JsonDocument.Parse(Render("sarif"));
        var run = doc.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(rules.Count, rules.Distinct().Count());
        Assert.False(string.IsNullOrEmpty(run.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString()));
        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            Assert.True(result.GetProperty("locations").GetArrayLength() > 0);
            Assert.True(result.GetProperty("partialFingerprints").EnumerateObject().Any());
            Assert.Equal(rules[result.GetProperty("ruleIndex").GetInt32()], result.GetProperty("ruleId").GetString());
        }
    }

    [GeneratedRegex("data-rendered-(?<severity>[a-z]+)=\"(?<count>\\d+)\"")]
    private static partial Regex Rendered();

    [RequiresToolFact("chromium")]
    public void Html_report_in_headless_Chromium_shows_the_JSON_totals()
    {
        var html = Path.Combine(Path.GetTempPath(), $"keyward-{Guid.NewGuid():N}.html");
        File.WriteAllText(html, Render("html"));
        var profile = Directory.CreateTempSubdirectory("keyward-chromium");
        try
        {
            var run = ExternalTool.Run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                $"--user-data-dir={profile.FullName}", "--dump-dom", "file://" + html], timeoutSeconds: 120);
            var dom = Encoding.UTF8.GetString(run.Stdout);
            Assert.True(run.ExitCode == 0 && dom.Length > 0, run.Stderr);
            var rendered = Rendered().Matches(dom).ToDictionary(m => m.Groups["severity"].Value, m => int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture));
            using var json = JsonDocument.Parse(Render("json"));
            var summary = json.RootElement.GetProperty("summary");
            Assert.Equal(summary.GetProperty("total").GetInt32(), rendered["total"]);
            foreach (var severity in summary.GetProperty("bySeverity").EnumerateObject())
                Assert.Equal(severity.Value.GetInt32(), rendered[severity.Name]);
            Assert.Contains($"id=\"total\">{summary.GetProperty("total").GetInt32()}<", dom, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(html);
            profile.Delete(recursive: true);
        }
    }

    [Fact]
    public void Html_report_loads_nothing_from_outside()
    {
        var html = Render("html");
        Assert.DoesNotMatch("(?i)<(script|link|img|iframe)[^>]+(src|href)=", html);
        Assert.DoesNotMatch("(?i)url\\(", html);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_report_lines_up_severities_and_excerpt_gutters_within_a_file()
    {
        // The golden input's positions run from one to two digits of line, so a fixed layout would not line up.
        var groups = Render("txt").Split("\n\n").Where(g => g.StartsWith("input/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(groups);
        foreach (var group in groups)
        {
            var lines = group.Split('\n');
            var severityColumns = lines.Select(l => FindingLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["severity"].Index).Distinct().ToList();
            var gutterColumns = lines.Select(l => l.IndexOf(" | ", StringComparison.Ordinal)).Where(i => i > 0).Distinct().ToList();
            Assert.Single(severityColumns);
            Assert.True(gutterColumns.Count <= 1, group);
        }
        Assert.Contains(groups, g => g.Split('\n').Select(l => FindingLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["position"].Value.Trim().Length).Distinct().Count() > 1);
    }

    [GeneratedRegex(@"^  (?<position>\d+:\d+ *)  (?<severity>critical|high|medium|low|info)")]
    private static partial Regex FindingLine();
}
