using Keyward.Cli.Tests.Support;
using Keyward.Testing;
using static Keyward.Cli.Tests.Support.GitRepo;

namespace Keyward.Cli.Tests.Audit;

/// <summary>
/// --staged in the situations a pre-commit hook meets: nothing staged (pre-commit run --all-files in CI), and the
/// commit that concludes a merge, which holds what the other branch brought as well as what its author wrote.
/// </summary>
public class AuditStagedTests
{
    [RequiresToolFact("git")]
    public void Nothing_staged_is_said_so_since_nothing_was_scanned()
    {
        using var repo = Init();
        Stage(repo, "leaked.env", $"GITHUB_TOKEN={Token}\n");
        Commit(repo, "init");
        var text = CliRunner.Run(["audit", "--staged", repo.Path]);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("note: nothing is staged, so nothing was scanned", text.StdoutText, StringComparison.Ordinal);
        var json = CliRunner.Run(["audit", "--staged", repo.Path, "--format", "json"]);
        Assert.Contains("keyward: note: nothing is staged", json.Stderr, StringComparison.Ordinal);

        // Asked of a subfolder while something is staged elsewhere: nothing is staged there, which is what it says.
        Directory.CreateDirectory(Path.Combine(repo.Path, "apps"));
        File.WriteAllText(Path.Combine(repo.Path, "apps", "ok.txt"), "x\n");
        Stage(repo, "docs.env", $"GITHUB_TOKEN={Token}\n");
        var sub = CliRunner.Run(["audit", "--staged", Path.Combine(repo.Path, "apps")]);
        Assert.Contains("note: nothing is staged under apps/, so nothing was scanned", sub.StdoutText, StringComparison.Ordinal);
        Git(repo.Path, "reset", "-q", "docs.env");

        // A staged deletion is something staged, though it adds nothing to scan.
        Git(repo.Path, "rm", "-q", "leaked.env");
        Assert.DoesNotContain("nothing is staged", CliRunner.Run(["audit", "--staged", repo.Path]).StdoutText, StringComparison.Ordinal);
    }

    /// <summary>
    /// main gets a token from someone else while feature changes c.txt; feature merges main, and c.txt conflicts.
    /// Returns the repository with the merge in progress, the conflict not yet resolved.
    /// </summary>
    private static TempDir MergeInProgress()
    {
        var repo = Init();
        Stage(repo, "c.txt", "a=1\n");
        Stage(repo, "app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LOG: info\n");
        Commit(repo, "init");
        Git(repo.Path, "checkout", "-q", "-b", "feature");
        Stage(repo, "c.txt", "a=feature\n");
        Commit(repo, "feature side");
        Git(repo.Path, "checkout", "-q", "main");
        Stage(repo, "c.txt", "a=main\n");
        Stage(repo, "other.env", $"GITHUB_TOKEN={Token}\n");
        Stage(repo, "s.yaml", PlaintextSecret);
        Commit(repo, "someone else, on main");
        Git(repo.Path, "checkout", "-q", "feature");
        var merge = ExternalTool.Run("git", ["-C", repo.Path, "-c", "user.name=Test", "-c", "user.email=test@example.com", "merge", "-q", "main"]);
        Assert.Equal(1, merge.ExitCode); // the c.txt conflict
        return repo;
    }

    [RequiresToolFact("git")]
    public void Concluding_a_merge_is_judged_on_what_its_author_wrote_not_on_what_the_other_branch_brought()
    {
        using var repo = MergeInProgress();
        Stage(repo, "c.txt", "a=merged\n");
        var result = CliRunner.Run(["audit", "--staged", repo.Path, "--format", "json"]);
        Assert.Empty(Findings(repo, result));
        Assert.Equal(0, result.ExitCode);
    }

    [RequiresToolFact("git")]
    public void A_secret_written_while_resolving_a_merge_or_added_with_it_is_found()
    {
        using var repo = MergeInProgress();
        Stage(repo, "c.txt", $"a=merged\nGH_TOKEN={OtherToken}\n");
        Stage(repo, "new.env", $"GITHUB_TOKEN={Token}\n");
        Stage(repo, "app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LOG: info\n  DB_PASSWORD: Hx7mQ2vL9pRtK4wZ\n");
        var findings = Findings(repo, CliRunner.Run(["audit", "--staged", repo.Path, "--format", "json", "--fail-on", "none"]));
        Assert.Contains(("c.txt", 2, "KW207"), findings);
        Assert.Contains(("new.env", 1, "KW207"), findings);
        Assert.Contains(findings, f => f.File == "app.yaml");
        Assert.DoesNotContain(findings, f => f.File is "other.env" or "s.yaml");
    }
}
