using System.Text;
using System.Text.Json;
using Keyward.Audit.Reports;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// Fingerprints name a finding's place, not its value or the folder keyward ran from, and baselines tell a new
/// value from the accepted one without reports carrying anything derived from it.
/// </summary>
public sealed class FingerprintTests : IDisposable
{
    private const string Token = "ghp_9z8Y7x6W5v4U3t2S1r0Q9p8O7n6M5l4K3j2I";
    private const string OtherToken = "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keyward-fingerprint-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Repo => Path.Combine(_dir.FullName, "repo");

    private string Git(params string[] args)
    {
        var r = ExternalTool.Run("git", ["-C", Repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return Encoding.UTF8.GetString(r.Stdout).Trim();
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static AuditResult Audit(string baseDirectory, string path, Baseline? baseline = null, bool git = false)
    {
        var inputs = new AuditInputs { BaseDirectory = baseDirectory };
        if (git)
            GitHistory.AddHistory(inputs, [path], since: null);
        else
            inputs.AddPath(path);
        return new Auditor(RuleRegistry.BuiltIn, new AuditOptions { Baseline = baseline }).Run(inputs);
    }

    private static string Sarif(AuditResult result)
    {
        using var ms = new MemoryStream();
        SarifReport.Write(ms, result, new ReportOptions());
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [RequiresToolFact("git")]
    public void The_same_finding_has_the_same_fingerprint_and_SARIF_path_from_any_folder()
    {
        Directory.CreateDirectory(Repo);
        Git("init", "-q", "-b", "main");
        Write("deploy/ci.env", $"GITHUB_TOKEN={Token}\n");
        var fromRoot = Audit(Repo, Repo);
        var fromSub = Audit(Path.Combine(Repo, "deploy"), Path.Combine(Repo, "deploy"));
        var fromParent = Audit(_dir.FullName, Repo);

        var finding = Assert.Single(fromRoot.Findings, f => f.RuleId == "KW207");
        Assert.Equal("deploy/ci.env", finding.File);
        Assert.Matches("^[0-9a-f]{20}$", finding.Fingerprint);
        Assert.Equal("ci.env", Assert.Single(fromSub.Findings, f => f.RuleId == "KW207").File);
        Assert.Equal(finding.Fingerprint, Assert.Single(fromSub.Findings, f => f.RuleId == "KW207").Fingerprint);
        Assert.Equal(finding.Fingerprint, Assert.Single(fromParent.Findings, f => f.RuleId == "KW207").Fingerprint);
        foreach (var result in new[] { fromRoot, fromSub, fromParent })
        {
            using var sarif = JsonDocument.Parse(Sarif(result));
            var location = sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("locations")[0]
                .GetProperty("physicalLocation").GetProperty("artifactLocation");
            Assert.Equal("deploy/ci.env", location.GetProperty("uri").GetString());
            Assert.Equal("%SRCROOT%", location.GetProperty("uriBaseId").GetString());
        }
    }

    [RequiresToolFact("git")]
    public void A_folder_reached_through_a_link_and_a_bare_mirror_give_the_same_fingerprints()
    {
        Directory.CreateDirectory(Repo);
        Git("init", "-q", "-b", "main");
        Write("deploy/ci.env", $"GITHUB_TOKEN={Token}\n");
        Git("add", ".");
        Git("commit", "-q", "-m", "one");
        string Of(AuditResult r) => Assert.Single(r.Findings, f => f.RuleId == "KW207").Fingerprint;
        var expected = Of(Audit(Repo, Repo));

        var link = Path.Combine(_dir.FullName, "deploy-link");
        Directory.CreateSymbolicLink(link, Path.Combine(Repo, "deploy"));
        Assert.Equal(expected, Of(Audit(_dir.FullName, link)));

        var mirror = Path.Combine(_dir.FullName, "mirror.git");
        Assert.Equal(0, ExternalTool.Run("git", ["clone", "-q", "--bare", Repo, mirror]).ExitCode);
        Assert.Equal(Of(Audit(Repo, Repo, git: true)), Of(Audit(_dir.FullName, mirror, git: true)));
    }

    [Fact]
    public void A_file_above_the_folder_keyward_runs_from_and_in_no_work_tree_gets_an_absolute_SARIF_URI()
    {
        var outside = Path.Combine(_dir.FullName, "nogit");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "a.env"), $"GITHUB_TOKEN={Token}\n");
        var here = Path.Combine(_dir.FullName, "here");
        Directory.CreateDirectory(here);
        using var sarif = JsonDocument.Parse(Sarif(Audit(here, outside)));
        var uri = sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("locations")[0]
            .GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
        Assert.Equal(new Uri(Path.Combine(outside, "a.env")).AbsoluteUri, uri);
    }

    [Fact]
    public void Reports_carry_nothing_derived_from_the_value_but_the_baseline_sees_a_new_one()
    {
        Directory.CreateDirectory(Repo);
        Write("ci.env", $"GITHUB_TOKEN={Token}\n");
        var first = Audit(Repo, Repo);
        var baselinePath = Path.Combine(_dir.FullName, "baseline.json");
        Baseline.Write(baselinePath, first.Findings);

        // Moved down, same value: accepted.
        Write("ci.env", $"# tokens\n\nGITHUB_TOKEN={Token}\n");
        Assert.DoesNotContain(Audit(Repo, Repo, Baseline.Load(baselinePath)).Findings, f => f.RuleId == "KW207");

        // Same place, another value: the same fingerprint (nothing of the value in it), and still a new finding.
        Write("ci.env", $"# tokens\n\nGITHUB_TOKEN={OtherToken}\n");
        var changed = Audit(Repo, Repo);
        Assert.Equal(first.Findings.Single(f => f.RuleId == "KW207").Fingerprint, changed.Findings.Single(f => f.RuleId == "KW207").Fingerprint);
        Assert.Contains(Audit(Repo, Repo, Baseline.Load(baselinePath)).Findings, f => f.RuleId == "KW207");

        // The baseline file holds a 16-bit tag of the value, nothing longer.
        using var json = JsonDocument.Parse(File.ReadAllText(baselinePath));
        Assert.Equal(2, json.RootElement.GetProperty("version").GetInt32());
        var entry = json.RootElement.GetProperty("findings").EnumerateArray().Single(e => e.GetProperty("rule").GetString() == "KW207");
        Assert.Matches("^[0-9a-f]{4}$", entry.GetProperty("value").GetString()!);
    }

    [Fact]
    public void Two_values_under_one_fingerprint_are_two_alerts_to_code_scanning()
    {
        Directory.CreateDirectory(Repo);
        Write("ci.env", $"GITHUB_TOKEN={Token}\nBACKUP_TOKEN={OtherToken}\n");
        var result = Audit(Repo, Repo);
        var tokens = result.Findings.Where(f => f.RuleId == "KW207").ToList();
        Assert.Equal(2, tokens.Count);
        Assert.Equal(tokens[0].Fingerprint, tokens[1].Fingerprint);
        using var sarif = JsonDocument.Parse(Sarif(result));
        var partial = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString() == "KW207")
            .Select(r => r.GetProperty("partialFingerprints").GetProperty("keyward/v2").GetString()).ToList();
        Assert.Equal([tokens[0].Fingerprint, tokens[0].Fingerprint + "/2"], partial);
    }

    [Fact]
    public void A_version_1_baseline_is_still_honoured()
    {
        Directory.CreateDirectory(Repo);
        Write("ci.env", $"GITHUB_TOKEN={Token}\n");
        var finding = Audit(Repo, Repo).Findings.Single(f => f.RuleId == "KW207");
        var legacy = Path.Combine(_dir.FullName, "v1.json");
        File.WriteAllText(legacy, $$"""{"version": 1, "findings": [{"fingerprint": "{{Fingerprints.Legacy(finding)}}", "rule": "KW207"}]}""");
        Assert.DoesNotContain(Audit(Repo, Repo, Baseline.Load(legacy)).Findings, f => f.RuleId == "KW207");
    }

    [RequiresToolFact("git")]
    public void A_line_moved_in_a_later_commit_is_not_new_to_a_baseline_of_the_history()
    {
        Directory.CreateDirectory(Repo);
        Git("init", "-q", "-b", "main");
        Write("ci.env", $"GITHUB_TOKEN={Token}\nREGION=eu\n");
        Git("add", ".");
        Git("commit", "-q", "-m", "one");
        var baselinePath = Path.Combine(_dir.FullName, "history.json");
        Baseline.Write(baselinePath, Audit(Repo, Repo, git: true).Findings);

        Write("ci.env", $"REGION=eu\nGITHUB_TOKEN={Token}\n");
        Git("commit", "-q", "-am", "two: reorder");
        var again = Audit(Repo, Repo, Baseline.Load(baselinePath), git: true);
        Assert.DoesNotContain(again.Findings, f => f.RuleId == "KW207");
    }
}
