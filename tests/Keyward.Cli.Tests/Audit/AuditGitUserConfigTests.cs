using Keyward.Cli.Tests.Support;
using Keyward.Testing;
using static Keyward.Cli.Tests.Support.GitRepo;

namespace Keyward.Cli.Tests.Audit;

/// <summary>
/// --git and --staged read git's diff output, which a user's settings reshape: no a/ b/ prefixes (a path lost its
/// first two characters, and a Secret in "s.yaml" became "yaml", no manifest), colors, an external diff or textconv
/// driver, context lines between hunks, a root commit shown without its diff. The results must not depend on them.
/// </summary>
public class AuditGitUserConfigTests
{
    private static readonly string[][] UserSettings =
    [
        ["diff.noprefix", "true"],
        ["diff.mnemonicPrefix", "true"],
        ["diff.external", "/bin/true"],
        ["color.ui", "always"],
        ["color.diff", "always"],
        ["diff.relative", "true"],
        ["diff.context", "7"],
        ["diff.interHunkContext", "10"],
        ["diff.submodule", "log"],
        ["core.quotePath", "false"],
        ["log.showRoot", "false"],
        ["log.follow", "true"],
        ["diff.hide.textconv", "sed s/ghp_/xxx_/"],
    ];

    private const string ThirdToken = "ghp_Kd8sL3mQw7RtY2bN6cXdF3hJ7pGs1aEuWq9Z";

    /// <summary>A repository whose own config holds every setting above (as a user's ~/.gitconfig would).</summary>
    private static TempDir Configured()
    {
        var repo = Init();
        foreach (var setting in UserSettings)
            Git(repo.Path, "config", setting[0], setting[1]);
        File.WriteAllText(Path.Combine(repo.Path, ".git", "info", "attributes"), "*.env diff=hide\n");
        return repo;
    }

    private static List<(string File, int Line, string Rule)> Audit(TempDir repo, params string[] args) =>
        Findings(repo, CliRunner.Run(["audit", repo.Path, .. args, "--rule", "KW101", "--rule", "KW207", "--format", "json", "--fail-on", "none"]));

    [RequiresToolFact("git")]
    public void Staged_and_history_scans_give_the_same_paths_and_lines_whatever_the_user_s_diff_settings()
    {
        using var repo = Configured();
        Stage(repo, "s.yaml", PlaintextSecret);
        Stage(repo, "apps/web/creds.env", $"A=1\nGITHUB_TOKEN={Token}\nB=2\nC=3\nD=4\n");
        (string, int, string)[] first = [("apps/web/creds.env", 2, "KW207"), ("s.yaml", 6, "KW101")];
        Assert.Equal(first, Audit(repo, "--staged").Order());
        Commit(repo, "first");
        Assert.Equal(first, Audit(repo, "--git").Order());

        // Two hunks two lines apart: with diff.interHunkContext git joins them, context lines and all.
        Stage(repo, "apps/web/creds.env", $"A=1\nGITHUB_TOKEN={Token}\nB=2\nGH_TOKEN={OtherToken}\nC=3\nD=4\nGH_PAT={ThirdToken}\n");
        (string, int, string)[] second = [("apps/web/creds.env", 4, "KW207"), ("apps/web/creds.env", 7, "KW207")];
        Assert.Equal(second, Audit(repo, "--staged").Order());
        Commit(repo, "second");
        Assert.Equal(first.Concat(second).Order(), Audit(repo, "--git").Order());
    }

    [RequiresToolFact("git")]
    public void A_subfolder_is_scanned_from_the_repository_s_top_even_with_diff_relative()
    {
        using var repo = Configured();
        Stage(repo, "apps/web/creds.env", $"GITHUB_TOKEN={Token}\n");
        Stage(repo, "top.env", $"GITHUB_TOKEN={Token}\n");
        Assert.Equal([("apps/web/creds.env", 1, "KW207")], Audit(repo, "--staged").Where(f => f.File.StartsWith("apps", StringComparison.Ordinal)));
        Commit(repo, "tokens");
        var apps = Findings(repo, CliRunner.Run(["audit", repo.File("apps"), "--git", "--rule", "KW207", "--format", "json"]));
        Assert.Equal([("apps/web/creds.env", 1, "KW207")], apps);
    }
}
