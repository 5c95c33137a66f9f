using System.Text.Json;
using Keyward.Audit.Reports;

namespace Keyward.Audit.Tests.Reporting;

/// <summary>The JSON report carries the run's notes, for a CI job that reads only the report.</summary>
public class JsonNotesTests
{
    [Fact]
    public void The_notes_of_the_run_are_in_the_JSON_report()
    {
        var config = AuditConfig.Parse("rules:\n  KW207: off\n", ".keyward.yaml", RuleRegistry.BuiltIn);
        var result = AuditHarness.Run("ci.env", "GITHUB_TOKEN=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n", new AuditOptions { Config = config, OnlyRules = ["KW207"] });
        Assert.NotEmpty(result.Stats.Notices);
        using var buffer = new MemoryStream();
        JsonReport.Write(buffer, result, new ReportOptions());
        using var json = JsonDocument.Parse(buffer.ToArray());
        var notes = json.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString() ?? "").ToList();
        Assert.Equal(result.Stats.Notices, notes);
        Assert.Contains(notes, n => n.Contains("KW207 is off in the config", StringComparison.Ordinal));
    }
}
