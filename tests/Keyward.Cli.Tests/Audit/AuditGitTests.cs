using System.Text.Json;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Audit;

/// <summary>History and staged scans through the git command, on throwaway repositories.</summary>
public class AuditGitTests
{
    private const string Token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";

    private static void Git(string repo, params string[] args)
    {
        var r = ExternalTool.Run("git", ["-C", repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    private static TempDir Repository()
    {
        var dir = new TempDir();
        Git(dir.Path, "init", "-q", "-b", "main");
        File.WriteAllText(dir.File("deploy.sh"), $"#!/bin/sh\nexport GITHUB_TOKEN={Token}\n");
        Git(dir.Path, "add", "deploy.sh");
        Git(dir.Path, "commit", "-q", "-m", "add deploy script");
        File.WriteAllText(dir.File("deploy.sh"), "#!/bin/sh\nexport GITHUB_TOKEN=\"$(cat /run/secrets/token)\"\n");
        Git(dir.Path, "commit", "-q", "-am", "read the token from a file");
        return dir;
    }

    [RequiresToolFact("git")]
    public void A_secret_deleted_later_is_still_found_in_history_with_its_commit()
    {
        using var repo = Repository();
        Assert.Equal(0, CliRunner.Run(["audit", repo.Path, "--rule", "KW207"]).ExitCode);
        var result = CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW207", "--format", "json"]);
        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.EndsWith("deploy.sh", finding.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, finding.GetProperty("line").GetInt32());
        var first = ExternalTool.Run("git", ["-C", repo.Path, "rev-list", "--max-parents=0", "HEAD"]);
        Assert.Equal(System.Text.Encoding.ASCII.GetString(first.Stdout).Trim(), finding.GetProperty("commit").GetProperty("sha").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("summary").GetProperty("commits").GetInt32());
    }

    [RequiresToolFact("git")]
    public void Since_limits_the_scan_to_later_commits()
    {
        using var repo = Repository();
        var result = CliRunner.Run(["audit", repo.Path, "--git", "--since", "HEAD~1", "--rule", "KW207"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 commit", result.StdoutText, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run(["audit", repo.Path, "--git", "--since", "no-such-rev"]).ExitCode);
    }

    [RequiresToolFact("git")]
    public void Staged_scans_only_what_is_staged()
    {
        using var repo = Repository();
        File.WriteAllText(repo.File("new.env"), "SLACK_BOT=xoxb-199351819093-786579754323-fKtHF4vUCsMehGAkWvj7FAc9\n");
        File.WriteAllText(repo.File("unstaged.env"), $"TOKEN={Token}\n");
        Assert.Equal(0, CliRunner.Run(["audit", repo.Path, "--staged"]).ExitCode);
        Git(repo.Path, "add", "new.env");
        var result = CliRunner.Run(["audit", repo.Path, "--staged", "--format", "json", "--fail-on", "medium"]);
        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("KW209", finding.GetProperty("ruleId").GetString());
    }
}
