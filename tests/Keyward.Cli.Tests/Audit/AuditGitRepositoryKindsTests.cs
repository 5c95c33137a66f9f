using System.Text.Json;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;
using static Keyward.Cli.Tests.Support.GitRepo;

namespace Keyward.Cli.Tests.Audit;

/// <summary>
/// The history a --git run can see and the revisions it is given: a --since that is empty (an unset CI variable) or
/// names a file or a folder is refused, a shallow clone says what it cannot scan, and a bare repository (a mirror, a
/// server) has its history scanned.
/// </summary>
public class AuditGitRepositoryKindsTests
{
    /// <summary>A token added in the first commit and removed in the second; a third commit touches another file.</summary>
    private static TempDir History()
    {
        var repo = Init();
        Stage(repo, "deploy.sh", $"export GITHUB_TOKEN={Token}\n");
        Commit(repo, "add deploy script");
        Stage(repo, "deploy.sh", "export GITHUB_TOKEN=\"$(cat /run/secrets/token)\"\n");
        Commit(repo, "read the token from a file");
        Stage(repo, "README.md", "# app\n");
        Commit(repo, "readme");
        return repo;
    }

    [RequiresToolTheory("git")]
    [InlineData("", "--since \"\" is empty")]
    [InlineData("HEAD:deploy.sh", "--since \"HEAD:deploy.sh\" names a blob, not a commit")]
    [InlineData("HEAD^{tree}", "--since \"HEAD^{tree}\" names a tree, not a commit")]
    public void A_since_that_is_empty_or_names_no_commit_is_a_usage_error_that_names_it(string since, string message)
    {
        using var repo = History();
        var result = CliRunner.Run(["audit", repo.Path, "--git", "--since", since]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"keyward: error: {message}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.StdoutText);
    }

    [RequiresToolFact("git")]
    public void An_empty_since_is_refused_in_a_repository_with_no_commit_too()
    {
        using var repo = Init();
        var result = CliRunner.Run(["audit", repo.Path, "--git", "--since", ""]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("an empty CI variable", result.Stderr, StringComparison.Ordinal);
    }

    [RequiresToolFact("git")]
    public void A_shallow_clone_says_which_history_it_did_not_scan()
    {
        using var origin = History();
        using var clone = new TempDir();
        var cloned = ExternalTool.Run("git", ["clone", "-q", "--depth", "1", "file://" + origin.Path, clone.Path]);
        Assert.True(cloned.ExitCode == 0, cloned.Stderr);
        var boundary = Git(clone.Path, "rev-parse", "HEAD");

        var text = CliRunner.Run(["audit", clone.Path, "--git", "--rule", "KW207"]);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"note: shallow clone: history before {boundary[..12]} was not scanned", text.StdoutText, StringComparison.Ordinal);
        Assert.Contains("fetch-depth: 0", text.StdoutText, StringComparison.Ordinal);
        var json = CliRunner.Run(["audit", clone.Path, "--git", "--format", "json"]);
        Assert.Contains("shallow clone", json.Stderr, StringComparison.Ordinal);

        // A range whose whole history is present needs no note.
        var since = CliRunner.Run(["audit", clone.Path, "--git", "--since", "HEAD"]);
        Assert.DoesNotContain("shallow", since.StdoutText, StringComparison.Ordinal);
        var full = CliRunner.Run(["audit", origin.Path, "--git"]);
        Assert.DoesNotContain("shallow", full.StdoutText, StringComparison.Ordinal);
    }

    [RequiresToolFact("git")]
    public void A_bare_repository_has_its_history_scanned_and_no_staged_changes()
    {
        using var origin = History();
        using var mirrors = new TempDir();
        var bare = mirrors.File("mirror.git");
        var cloned = ExternalTool.Run("git", ["clone", "-q", "--bare", origin.Path, bare]);
        Assert.True(cloned.ExitCode == 0, cloned.Stderr);

        var result = CliRunner.Run(["audit", "--git", bare, "--rule", "KW207", "--format", "json"]);
        Assert.True(result.ExitCode == 1, result.Stderr);
        using (var json = JsonDocument.Parse(result.Stdout))
        {
            var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
            Assert.Equal("deploy.sh", Path.GetRelativePath(bare, Path.GetFullPath(finding.GetProperty("file").GetString()!)));
            Assert.Equal(3, json.RootElement.GetProperty("summary").GetProperty("commits").GetInt32());
        }
        // A file of its history, named as if the repository had a work tree there.
        Assert.Equal(1, CliRunner.Run(["audit", "--git", Path.Combine(bare, "deploy.sh"), "--rule", "KW207"]).ExitCode);
        Assert.Equal(0, CliRunner.Run(["audit", "--git", Path.Combine(bare, "README.md"), "--rule", "KW207"]).ExitCode);

        var staged = CliRunner.Run(["audit", "--staged", bare]);
        Assert.Equal(2, staged.ExitCode);
        Assert.Contains("is a bare repository", staged.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: use --git to scan its history", staged.Stderr, StringComparison.Ordinal);
    }

    [RequiresToolFact("git")]
    public void The_git_folder_of_a_work_tree_is_refused_with_a_hint_that_names_the_work_tree()
    {
        using var repo = History();
        var result = CliRunner.Run(["audit", "--git", repo.File(".git")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is the .git folder of a repository", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: give the repository's folder", result.Stderr, StringComparison.Ordinal);
    }
}
