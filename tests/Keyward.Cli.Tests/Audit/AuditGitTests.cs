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

    [RequiresToolTheory("git")]
    [InlineData("config é.env")]
    [InlineData("tab\there.env")]
    [InlineData("quote\"and\\backslash.env")]
    [InlineData("plain name.env")]
    public void Files_whose_names_git_quotes_or_pads_are_scanned_in_history_and_when_staged(string name)
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(repo.Path, name), $"GITHUB_TOKEN={Token}\n");
        Git(repo.Path, "add", "--", name);
        var staged = CliRunner.Run(["audit", repo.Path, "--staged", "--rule", "KW207", "--format", "json"]);
        Git(repo.Path, "commit", "-q", "-m", "add a file with an odd name");
        var history = CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW207", "--format", "json"]);
        foreach (var result in new[] { staged, history })
        {
            Assert.Equal(1, result.ExitCode);
            using var json = JsonDocument.Parse(result.Stdout);
            var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
            Assert.EndsWith(name, finding.GetProperty("file").GetString(), StringComparison.Ordinal);
        }
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
    public void A_repository_with_no_commit_yet_has_an_empty_history_and_its_staged_files_are_scanned()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        File.WriteAllText(repo.File("deploy.sh"), $"export GITHUB_TOKEN={Token}\n");
        Git(repo.Path, "add", "deploy.sh");
        foreach (var args in new[] { new[] { "--git" }, ["--git", "--since", "main"] })
        {
            var history = CliRunner.Run(["audit", repo.Path, .. args, "--rule", "KW207"]);
            Assert.True(history.ExitCode == 0, history.Stderr);
            Assert.Contains("no commits yet, so no history to scan", history.StdoutText, StringComparison.Ordinal);
        }
        Assert.Equal(1, CliRunner.Run(["audit", repo.Path, "--staged", "--rule", "KW207"]).ExitCode);
    }

    [RequiresToolFact("git")]
    public void A_folder_outside_any_repository_or_an_unknown_since_is_an_input_error_with_a_hint_that_fits()
    {
        using var plain = new TempDir();
        var outside = CliRunner.Run(["audit", plain.Path, "--git"]);
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("not a git repository", outside.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: give the folder of a Git repository", outside.Stderr, StringComparison.Ordinal);
        using var repo = Repository();
        var since = CliRunner.Run(["audit", repo.Path, "--git", "--since", "no-such-rev"]);
        Assert.Equal(2, since.ExitCode);
        Assert.Contains("keyward: hint: --since needs a commit that exists here (a tag, a branch or a sha); \"no-such-rev\" is not one", since.Stderr, StringComparison.Ordinal);
    }

    [RequiresToolFact("git")]
    public void A_folder_inside_a_repository_scans_the_history_and_the_staged_changes_of_that_folder()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        Directory.CreateDirectory(repo.File("apps"));
        File.WriteAllText(repo.File("top.sh"), $"export GITHUB_TOKEN={Token}\n");
        File.WriteAllText(repo.File("apps/deploy.sh"), $"export GITHUB_TOKEN={Token}\n");
        Git(repo.Path, "add", ".");
        var staged = CliRunner.Run(["audit", repo.File("apps"), "--staged", "--rule", "KW207", "--format", "json"]);
        Git(repo.Path, "commit", "-q", "-m", "add scripts");
        var history = CliRunner.Run(["audit", repo.File("apps"), "--git", "--rule", "KW207", "--format", "json"]);
        foreach (var result in new[] { staged, history })
        {
            Assert.True(result.ExitCode == 1, result.Stderr);
            using var json = JsonDocument.Parse(result.Stdout);
            var file = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("file").GetString()!;
            // Named from the repository's top, not from the folder ("apps/apps/deploy.sh" once).
            Assert.Equal(Path.GetFullPath(repo.File("apps/deploy.sh")), Path.GetFullPath(file));
        }
    }

    [RequiresToolFact("git")]
    public void History_can_be_asked_of_files_deleted_ones_too_and_of_several_paths_of_one_repository()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        Directory.CreateDirectory(repo.File("apps"));
        Directory.CreateDirectory(repo.File("infra"));
        foreach (var name in new[] { "top.sh", "apps/deploy.sh", "infra/setup.sh" })
            File.WriteAllText(repo.File(name), $"export GITHUB_TOKEN={Token}\n");
        Git(repo.Path, "add", ".");
        Git(repo.Path, "commit", "-q", "-m", "add scripts");
        Git(repo.Path, "rm", "-q", "apps/deploy.sh");
        Git(repo.Path, "commit", "-q", "-m", "remove the deploy script");

        string[] Files(params string[] paths)
        {
            var result = CliRunner.Run(["audit", .. paths, "--git", "--rule", "KW207", "--format", "json"]);
            Assert.True(result.ExitCode is 0 or 1, result.Stderr);
            using var json = JsonDocument.Parse(result.Stdout);
            return [.. json.RootElement.GetProperty("findings").EnumerateArray().Select(f => Path.GetRelativePath(repo.Path, Path.GetFullPath(f.GetProperty("file").GetString()!)))];
        }

        Assert.Equal(["apps/deploy.sh"], Files(repo.File("apps/deploy.sh")));
        Assert.Equal(["apps/deploy.sh", "top.sh"], Files(repo.File("top.sh"), repo.File("apps")).Order(StringComparer.Ordinal));
        Assert.Equal(3, Files(repo.Path, repo.File("apps")).Length);
        var typo = CliRunner.Run(["audit", repo.File("tpo.sh"), "--git"]);
        Assert.Equal(0, typo.ExitCode);
        Assert.Contains("note: no commit touches the paths given", typo.StdoutText, StringComparison.Ordinal);

        using var other = new TempDir();
        Git(other.Path, "init", "-q", "-b", "main");
        var mixed = CliRunner.Run(["audit", repo.Path, other.Path, "--git"]);
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("is in another Git repository than", mixed.Stderr, StringComparison.Ordinal);
    }

    [RequiresToolFact("git")]
    public void Git_and_staged_together_are_a_usage_error()
    {
        using var repo = Repository();
        var result = CliRunner.Run(["audit", repo.Path, "--git", "--staged"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--git and --staged", result.Stderr, StringComparison.Ordinal);
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

    [RequiresToolFact("git")]
    public void A_secret_added_while_resolving_a_merge_conflict_is_found_in_the_merge_commit()
    {
        using var repo = Repository();
        File.WriteAllText(repo.File("app.env"), "TOKEN=\n");
        Git(repo.Path, "add", "app.env");
        Git(repo.Path, "commit", "-q", "-m", "add app.env");
        Git(repo.Path, "checkout", "-q", "-b", "feature");
        File.WriteAllText(repo.File("app.env"), "TOKEN=a\n");
        Git(repo.Path, "commit", "-q", "-am", "feature side");
        Git(repo.Path, "checkout", "-q", "main");
        File.WriteAllText(repo.File("app.env"), "TOKEN=b\n");
        Git(repo.Path, "commit", "-q", "-am", "main side");
        ExternalTool.Run("git", ["-C", repo.Path, "-c", "user.name=Test", "-c", "user.email=test@example.com", "merge", "-q", "feature"]); // conflicts
        File.WriteAllText(repo.File("app.env"), $"GITHUB_TOKEN={Token}\n");
        Git(repo.Path, "commit", "-q", "-am", "merge feature");
        var merge = System.Text.Encoding.UTF8.GetString(ExternalTool.Run("git", ["-C", repo.Path, "rev-parse", "HEAD"]).Stdout).Trim();

        foreach (var since in new[] { null, "main~1" })
        {
            string[] args = since is null ? ["audit", repo.Path, "--git", "--format", "json"] : ["audit", repo.Path, "--git", "--since", since, "--format", "json"];
            var findings = Findings(CliRunner.Run(args)).Where(f => f.GetProperty("file").GetString()!.EndsWith("app.env", StringComparison.Ordinal)).ToList();
            var finding = Assert.Single(findings);
            Assert.Equal(merge, finding.GetProperty("commit").GetProperty("sha").GetString());
        }
    }

    [RequiresToolFact("git")]
    public void A_file_moved_is_not_a_new_leak_but_what_the_move_adds_is()
    {
        using var repo = Repository();
        File.WriteAllText(repo.File("s.yaml"), PlaintextSecret);
        Git(repo.Path, "add", "s.yaml");
        Git(repo.Path, "commit", "-q", "-m", "add a secret");
        Directory.CreateDirectory(repo.File("apps"));
        Git(repo.Path, "mv", "s.yaml", "apps/secret.yaml");
        Git(repo.Path, "commit", "-q", "-m", "move it");
        var afterMove = Findings(CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW101", "--format", "json", "--fail-on", "none"]));
        Assert.Equal("s.yaml", Path.GetFileName(Assert.Single(afterMove).GetProperty("file").GetString()));

        File.WriteAllText(repo.File("apps/secret.yaml"), PlaintextSecret + "  consumerKey: Tq9Lm2Wx8Zr4Kp7Nd3Hs5Vb\n");
        Git(repo.Path, "mv", "apps/secret.yaml", "apps/ovh.yaml");
        Git(repo.Path, "commit", "-q", "-am", "move it again and add a key");
        var afterEdit = Findings(CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW101", "--format", "json", "--fail-on", "none"]));
        Assert.Equal(2, afterEdit.Count);
        var moved = Assert.Single(afterEdit, f => f.GetProperty("file").GetString()!.EndsWith("apps/ovh.yaml", StringComparison.Ordinal));
        Assert.Contains("consumerKey", moved.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [RequiresToolFact("git")]
    public void A_binary_file_counts_as_skipped_where_it_is_added_or_changed_not_where_it_is_deleted()
    {
        using var repo = Repository();
        File.WriteAllBytes(repo.File("logo.png"), [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3]);
        Git(repo.Path, "add", "logo.png");
        Git(repo.Path, "commit", "-q", "-m", "add a logo");
        Git(repo.Path, "rm", "-q", "logo.png");
        Assert.Equal(0, SkippedBinary(CliRunner.Run(["audit", repo.Path, "--staged", "--format", "json"])));
        Git(repo.Path, "commit", "-q", "-m", "remove the logo");
        Assert.Equal(1, SkippedBinary(CliRunner.Run(["audit", repo.Path, "--git", "--format", "json", "--fail-on", "none"])));
    }

    private static int SkippedBinary(CliRunner.Result result)
    {
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("summary").GetProperty("skippedBinary").GetInt32();
    }

    private const string PlaintextSecret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\nstringData:\n  applicationSecret: Zq9vL2mXw8RtY4bN6cKdF3hJ7pGs1aEu\n";

    [RequiresToolFact("git")]
    public void A_plaintext_secret_manifest_committed_then_deleted_is_found_as_a_secret_in_history()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        Directory.CreateDirectory(repo.File("karpenter"));
        // Hardening rules must not run on history: the Deployment next to it has no securityContext at all.
        File.WriteAllText(repo.File("karpenter/secret.yaml"), PlaintextSecret);
        File.WriteAllText(repo.File("karpenter/app.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app\n");
        Git(repo.Path, "add", ".");
        Git(repo.Path, "commit", "-q", "-m", "credentials for karpenter");
        var present = Assert.Single(Findings(CliRunner.Run(["audit", repo.Path, "--rule", "KW101", "--format", "json"])));
        Git(repo.Path, "rm", "-q", "karpenter/secret.yaml");
        Git(repo.Path, "commit", "-q", "-m", "oops");
        Assert.Empty(Findings(CliRunner.Run(["audit", repo.Path, "--rule", "KW101", "--format", "json"])));

        var findings = Findings(CliRunner.Run(["audit", repo.Path, "--git", "--format", "json", "--fail-on", "none"]));
        var plaintext = Assert.Single(findings, f => f.GetProperty("ruleId").GetString() == "KW101");
        Assert.EndsWith("karpenter/secret.yaml", plaintext.GetProperty("file").GetString(), StringComparison.Ordinal);
        // Where the working-tree scan pointed when the file was there.
        Assert.Equal(present.GetProperty("line").GetInt32(), plaintext.GetProperty("line").GetInt32());
        Assert.Equal(present.GetProperty("column").GetInt32(), plaintext.GetProperty("column").GetInt32());
        Assert.Equal(present.GetProperty("fieldPath").GetString(), plaintext.GetProperty("fieldPath").GetString());
        Assert.Equal("ovh-credentials", plaintext.GetProperty("object").GetProperty("name").GetString());
        Assert.True(plaintext.TryGetProperty("commit", out _));
        Assert.DoesNotContain(findings, f => f.GetProperty("category").GetString() is "workload-security" or "namespaces" or "images");
    }

    [RequiresToolFact("git")]
    public void Each_commit_s_finding_shows_its_own_line_of_the_file()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        File.WriteAllText(repo.File("deploy.sh"), $"#!/bin/sh\nexport GITHUB_TOKEN={Token}\n");
        Git(repo.Path, "add", "deploy.sh");
        Git(repo.Path, "commit", "-q", "-m", "one");
        const string other = "ghp_Zq9vL2mXw8RtY4bN6cKdF3hJ7pGs1aEuQw0P";
        File.WriteAllText(repo.File("deploy.sh"), $"#!/bin/sh\n\n\nexport GH_TOKEN={other}\n");
        Git(repo.Path, "commit", "-q", "-am", "two");
        var findings = Findings(CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW207", "--format", "json", "--show-secrets"]));
        Assert.Equal(2, findings.Count);
        Assert.Contains(Token, findings[0].GetProperty("excerpt").GetString(), StringComparison.Ordinal);
        Assert.Contains(other, findings[1].GetProperty("excerpt").GetString(), StringComparison.Ordinal);
    }

    [RequiresToolFact("git")]
    public void A_sops_file_decrypted_in_place_and_committed_is_a_plaintext_secret_in_that_commit_only()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        var encrypted = SharedMaterial.Path("conformance", "sops", "fixtures", "flux-kustomize-controller", "algorithms", "age.yaml");
        File.Copy(encrypted, repo.File("secret.yaml"));
        Git(repo.Path, "add", "secret.yaml");
        Git(repo.Path, "commit", "-q", "-m", "encrypted with sops");
        // "sops -d -i secret.yaml" then "git commit -a": an edit, not a new file, and no credential pattern matches.
        File.WriteAllText(repo.File("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: age\nstringData:\n  key: Wq3tT9vB2nRkPz\n");
        Git(repo.Path, "commit", "-q", "-am", "debugging");
        var leaked = ExternalTool.Run("git", ["-C", repo.Path, "rev-parse", "HEAD"]);
        var present = Assert.Single(Findings(CliRunner.Run(["audit", repo.Path, "--rule", "KW101", "--format", "json"])));
        // A later edit elsewhere in the file does not report the same leak again.
        File.WriteAllText(repo.File("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: age\n  labels:\n    team: payments\nstringData:\n  key: Wq3tT9vB2nRkPz\n");
        Git(repo.Path, "commit", "-q", "-am", "label");

        var finding = Assert.Single(Findings(CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW101", "--format", "json", "--fail-on", "none"])));
        Assert.Equal(System.Text.Encoding.ASCII.GetString(leaked.Stdout).Trim(), finding.GetProperty("commit").GetProperty("sha").GetString());
        Assert.Equal(present.GetProperty("line").GetInt32(), finding.GetProperty("line").GetInt32());
        Assert.Equal(present.GetProperty("fieldPath").GetString(), finding.GetProperty("fieldPath").GetString());
    }

    [RequiresToolFact("git")]
    public void A_staged_edit_that_decrypts_a_sops_file_is_blocked()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        File.Copy(SharedMaterial.Path("conformance", "sops", "fixtures", "flux-kustomize-controller", "algorithms", "age.yaml"), repo.File("secret.yaml"));
        Git(repo.Path, "add", "secret.yaml");
        Git(repo.Path, "commit", "-q", "-m", "encrypted with sops");
        Assert.Equal(0, CliRunner.Run(["audit", repo.Path, "--staged"]).ExitCode);
        File.WriteAllText(repo.File("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: age\nstringData:\n  key: Wq3tT9vB2nRkPz\n");
        Git(repo.Path, "add", "secret.yaml");
        // What is staged, not the working tree: here they are the same, then the working tree is put back.
        File.Copy(SharedMaterial.Path("conformance", "sops", "fixtures", "flux-kustomize-controller", "algorithms", "age.yaml"), repo.File("secret.yaml"), overwrite: true);
        var findings = Findings(CliRunner.Run(["audit", repo.Path, "--staged", "--format", "json"]));
        Assert.Contains(findings, f => f.GetProperty("ruleId").GetString() == "KW101");
    }

    [RequiresToolFact("git")]
    public void An_edit_that_removes_a_plaintext_value_is_not_a_new_leak_but_one_that_adds_a_value_is()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        const string head = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n";
        File.WriteAllText(repo.File("secret.yaml"), head + "  user: Wq3tT9vB2nRkPz\n  password: Hx7mQ2vL9pRtK4\n  token: Zr5nW8cF3jYsD6\n");
        Git(repo.Path, "add", "secret.yaml");
        Git(repo.Path, "commit", "-q", "-m", "three values");
        // The message counts the values ("has 2 unencrypted values"), so it changes; nothing new is exposed. (The
        // label makes the commit add a line: an edit that only deletes lines brings nothing and is not read.)
        File.WriteAllText(repo.File("secret.yaml"), head.Replace("  name: app\n", "  name: app\n  labels:\n    team: web\n", StringComparison.Ordinal)
            + "  user: Wq3tT9vB2nRkPz\n  token: Zr5nW8cF3jYsD6\n");
        Git(repo.Path, "commit", "-q", "-am", "drop the password");
        var first = Assert.Single(Findings(CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW101", "--format", "json", "--fail-on", "none"])));
        Assert.Contains("3 unencrypted values", first.GetProperty("message").GetString(), StringComparison.Ordinal);

        File.WriteAllText(repo.File("secret.yaml"), head.Replace("  name: app\n", "  name: app\n  labels:\n    team: web\n", StringComparison.Ordinal)
            + "  user: Wq3tT9vB2nRkPz\n  token: Zr5nW8cF3jYsD6\n  apiKey: Pm4kS9dG2hTbV7\n");
        Git(repo.Path, "commit", "-q", "-am", "add an api key");
        var findings = Findings(CliRunner.Run(["audit", repo.Path, "--git", "--rule", "KW101", "--format", "json", "--fail-on", "none"]));
        Assert.Equal(2, findings.Count);
        Assert.Contains("(user, token, apiKey)", findings[1].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static List<JsonElement> Findings(CliRunner.Result result)
    {
        using var json = JsonDocument.Parse(result.Stdout);
        return [.. json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.Clone())];
    }
}
