using System.Text.RegularExpressions;
using Keyward.Audit;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Examples;

/// <summary>
/// examples/ yields exactly the findings its README documents (the table between the findings markers), no
/// more, no fewer. examples/hello.txt is not part of the example repository and is excluded.
/// </summary>
public partial class ExampleRepositoryTests
{
    [GeneratedRegex(@"^\| `(?<file>[^`]+)` \| (?<line>\d+) \| (?<rule>KW\d{3}) \| (?<object>[^|]*) \| (?<severity>[a-z]+) \| (?<message>.*) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    internal static string ExamplesRoot => Path.Combine(SharedMaterial.RepositoryRoot, "examples");

    internal static AuditResult Audit(RenderMode mode = RenderMode.Default)
    {
        var inputs = new AuditInputs { BaseDirectory = ExamplesRoot, RenderKustomize = mode == RenderMode.Default };
        inputs.AddPath(ExamplesRoot);
        var config = AuditConfig.Parse("exclude: [hello.txt]\n", "test config", RuleRegistry.BuiltIn);
        return new Auditor(RuleRegistry.BuiltIn, new AuditOptions { Config = config }).Run(inputs);
    }

    internal enum RenderMode
    {
        Default,
        NoKustomize,
    }

    [Fact]
    public void The_example_repository_yields_exactly_its_documented_findings()
    {
        var readme = File.ReadAllText(Path.Combine(ExamplesRoot, "README.md"));
        var documented = Row().Matches(readme.ReplaceLineEndings("\n"))
            .Select(m => $"{m.Groups["file"].Value}:{m.Groups["line"].Value} {m.Groups["rule"].Value} {m.Groups["object"].Value.Trim()} {m.Groups["severity"].Value} {m.Groups["message"].Value}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(documented.Count > 30, "the README's findings table was not found");
        var actual = Audit().Findings.Select(f => $"{f.File}:{f.Position.Line} {f.RuleId} {Describe(f)} {f.Severity.Name()} {f.Message}").Order(StringComparer.Ordinal).ToList();
        var missing = documented.Except(actual).ToList();
        var extra = actual.Except(documented).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"documented but not found:\n  {string.Join("\n  ", missing)}\nfound but not documented:\n  {string.Join("\n  ", extra)}");
    }

    [Fact]
    public void The_SOPS_encrypted_secrets_are_not_flagged()
    {
        var result = Audit();
        Assert.DoesNotContain(result.Findings, f => f.File.EndsWith(".sops.yaml", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.RuleId == "KW910" && f.Message.Contains("registry-credentials.sops.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void No_secret_value_of_the_example_appears_in_the_reports()
    {
        var result = Audit();
        var secrets = result.Findings.SelectMany(f => f.Secrets).Where(s => s.Length >= 8).ToList();
        Assert.NotEmpty(secrets);
        foreach (var format in new Action<Stream>[]
        {
            s => Reports.JsonReport.Write(s, result, new Reports.ReportOptions()),
            s => Reports.SarifReport.Write(s, result, new Reports.ReportOptions()),
            s => { using var w = new StreamWriter(s, leaveOpen: true); Reports.TextReport.Write(w, result, new Reports.ReportOptions()); },
            s => { using var w = new StreamWriter(s, leaveOpen: true); Reports.HtmlReport.Write(w, result, new Reports.ReportOptions()); },
        })
        {
            using var ms = new MemoryStream();
            format(ms);
            var text = System.Text.Encoding.UTF8.GetString(ms.ToArray());
            foreach (var secret in secrets)
            {
                foreach (var line in secret.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 8))
                    Assert.DoesNotContain(line, text, StringComparison.Ordinal);
            }
        }
    }

    internal static string Describe(Finding f) => f.Resource is { } o ? $"{o.Kind}/{(o.Namespace is null ? "" : o.Namespace + "/")}{o.Name}" : "-";
}
