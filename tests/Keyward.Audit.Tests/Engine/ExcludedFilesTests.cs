namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// A file the config excludes is not read, so it is not "scanned": the summary's count leaves it out and a note says
/// how many files were excluded, so a reader knows secrets may have been passed over.
/// </summary>
public sealed class ExcludedFilesTests : IDisposable
{
    private const string Token = "GITHUB_TOKEN=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keyward-excluded-" + Guid.NewGuid().ToString("N")[..12]);

    public ExcludedFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "docs"));
        Directory.CreateDirectory(Path.Combine(_dir, "apps", "payments", "docs"));
        File.WriteAllText(Path.Combine(_dir, "docs", "example.env"), Token);
        File.WriteAllText(Path.Combine(_dir, "docs", "readme.md"), "nothing here\n");
        File.WriteAllText(Path.Combine(_dir, "apps", "payments", "docs", "runbook.env"), Token);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private AuditResult Audit(string exclude)
    {
        using var inputs = new AuditInputs { BaseDirectory = _dir, RenderKustomize = false };
        inputs.AddPath(_dir);
        var config = AuditConfig.Parse($"exclude: [\"{exclude}\"]\n", Path.Combine(_dir, ".keyward.yaml"), RuleRegistry.BuiltIn);
        return new Auditor(RuleRegistry.BuiltIn, new AuditOptions { Config = config, OnlyRules = ["KW207"] }).Run(inputs);
    }

    [Fact]
    public void Excluded_files_are_counted_apart_from_the_scanned_ones_and_the_summary_says_so()
    {
        var result = Audit("/docs/**");
        var finding = Assert.Single(result.Findings);
        Assert.Equal("apps/payments/docs/runbook.env", finding.File);
        Assert.Equal(1, result.Stats.FilesScanned);
        Assert.Equal(2, result.Stats.Excluded);
        Assert.EndsWith("; 2 excluded by the config", Reports.TextReport.Summary(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_said_when_nothing_is_excluded()
    {
        var result = Audit("vendor/**");
        Assert.Equal(2, result.Findings.Count);
        Assert.Equal(0, result.Stats.Excluded);
        Assert.DoesNotContain("excluded", Reports.TextReport.Summary(result), StringComparison.Ordinal);
    }
}
