using System.Text.Json;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;
using static Keyward.Cli.Tests.Support.GitRepo;

namespace Keyward.Cli.Tests.Audit;

/// <summary>
/// A <c>-diff</c> or <c>binary</c> git attribute (<c>*.env -diff</c>, set to keep secrets out of review diffs) makes
/// git show a text file's change as "Binary files differ": --git and --staged missed every credential in such files.
/// They are read by blob id and their added lines scanned; only files that really are binary are skipped.
/// </summary>
public class AuditGitDiffAttributeTests
{
    private const string ThirdToken = "ghp_Kd8sL3mQw7RtY2bN6cXdF3hJ7pGs1aEuWq9Z";

    private static TempDir Repository()
    {
        var repo = Init();
        Stage(repo, ".gitattributes", "*.env -diff\nsecrets/** binary\n");
        Commit(repo, "attributes");
        return repo;
    }

    private static List<(string File, int Line, string Rule)> Audit(TempDir repo, params string[] args) =>
        [.. Findings(repo, CliRunner.Run(["audit", repo.Path, .. args, "--rule", "KW101", "--rule", "KW207", "--format", "json", "--fail-on", "none"])).Order()];

    [RequiresToolFact("git")]
    public void Credentials_in_files_git_diffs_as_binary_are_found_where_they_are_added()
    {
        using var repo = Repository();
        Stage(repo, "apps/web/my creds.env", $"A=1\nGITHUB_TOKEN={Token}\n");
        Stage(repo, "secrets/db.yaml", PlaintextSecret);
        Stage(repo, "é.env", $"GH_TOKEN={OtherToken}\n");
        (string, int, string)[] first = [("apps/web/my creds.env", 2, "KW207"), ("secrets/db.yaml", 6, "KW101"), ("é.env", 1, "KW207")];
        Assert.Equal(first, Audit(repo, "--staged"));
        Commit(repo, "first");
        Assert.Equal(first, Audit(repo, "--git"));

        // An edit: only what it adds is new (the token already there is the first commit's finding), at its new line.
        Stage(repo, "apps/web/my creds.env", $"B=2\nA=1\nGITHUB_TOKEN={Token}\nGH_PAT={ThirdToken}\n");
        Assert.Equal([("apps/web/my creds.env", 4, "KW207")], Audit(repo, "--staged"));
        Commit(repo, "second");
        Assert.Equal(first.Append(("apps/web/my creds.env", 4, "KW207")).Order(), Audit(repo, "--git"));
    }

    [RequiresToolFact("git")]
    public void A_finding_in_history_says_to_rotate_the_value_and_how_to_accept_it()
    {
        using var repo = Repository();
        Stage(repo, "app.env", $"GITHUB_TOKEN={Token}\n");
        Commit(repo, "token");
        var run = CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW207", "--format", "json", "--fail-on", "none"]);
        using var json = JsonDocument.Parse(run.Stdout);
        var remediation = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("remediation").GetString();
        Assert.StartsWith("The value is in the Git history", remediation, StringComparison.Ordinal);
        Assert.Contains("--write-baseline", remediation, StringComparison.Ordinal);
    }

    [RequiresToolFact("git")]
    public void A_renamed_file_is_named_by_its_new_path()
    {
        using var repo = Repository();
        Stage(repo, "old.env", "A=1\nB=2\nC=3\nD=4\n");
        Commit(repo, "first");
        Git(repo.Path, "mv", "old.env", "new name.env");
        Stage(repo, "new name.env", $"A=1\nB=2\nC=3\nD=4\nGITHUB_TOKEN={Token}\n");
        Assert.Equal([("new name.env", 5, "KW207")], Audit(repo, "--staged"));
        Commit(repo, "rename and add a token");
        Assert.Equal([("new name.env", 5, "KW207")], Audit(repo, "--git"));
    }

    [RequiresToolFact("git")]
    public void A_file_that_really_is_binary_is_still_skipped_and_counted()
    {
        using var repo = Repository();
        File.WriteAllBytes(repo.File("keys.env"), [0x89, 0x50, 0x4E, 0x47, 0, .. System.Text.Encoding.ASCII.GetBytes($"\nGITHUB_TOKEN={Token}\n")]);
        Git(repo.Path, "add", "keys.env");
        var staged = CliRunner.Run(["audit", repo.Path, "--staged", "--format", "json", "--fail-on", "none"]);
        Assert.Equal((0, 1), (Findings(repo, staged).Count, SkippedBinary(staged)));
    }

    private static int SkippedBinary(CliRunner.Result result)
    {
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("summary").GetProperty("skippedBinary").GetInt32();
    }
}
