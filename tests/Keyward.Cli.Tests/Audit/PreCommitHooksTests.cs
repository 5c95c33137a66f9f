using System.Diagnostics;
using Keyward.Cli.Tests.Support;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Audit;

/// <summary>
/// The hooks of .pre-commit-hooks.yaml, run the way pre-commit runs them (from the repository root, staged file
/// names appended when pass_filenames is on), and the local-hook example in docs/audit.md kept in step with them.
/// </summary>
public class PreCommitHooksTests
{
    private const string LeakyManifest =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\n  namespace: build\nstringData:\n  token: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n";

    private const string HarmlessManifest =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: build\ndata:\n  LOG_LEVEL: info\n";

    private sealed record Hook(string Id, string Entry, bool PassFilenames, string? Files);

    private static List<Hook> Hooks(YamlValue root) =>
        [.. ((YamlList)root).Items.OfType<YamlMap>().Select(h => new Hook(
            h.Scalar("id")!, h.Scalar("entry")!, h.Scalar("pass_filenames") != "false", h.Scalar("files")))];

    private static List<Hook> DefinedHooks()
    {
        var (documents, error) = YamlDocuments.Read(File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, ".pre-commit-hooks.yaml")));
        Assert.Null(error);
        return Hooks(Assert.Single(documents));
    }

    private static void Git(string repo, params string[] args)
    {
        var r = ExternalTool.Run("git", ["-C", repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    /// <summary>Runs one hook in <paramref name="repo"/> over the staged files, as pre-commit would; returns the exit code.</summary>
    private static int RunHook(Hook hook, string repo, IReadOnlyList<string> staged)
    {
        var words = hook.Entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("keyward", words[0]);
        var files = hook.Files is { } pattern ? staged.Where(f => System.Text.RegularExpressions.Regex.IsMatch(f, pattern)).ToList() : [.. staged];
        var psi = KeywardProcess.StartInfo([.. words[1..], .. hook.PassFilenames ? files : []]);
        psi.WorkingDirectory = repo;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), $"hook {hook.Id} did not finish");
        Assert.True(process.ExitCode is 0 or 1, $"hook {hook.Id} failed to run: {stderr.Result}{stdout.Result}");
        return process.ExitCode;
    }

    [RequiresToolFact("git")]
    public void Each_hook_blocks_a_staged_credential_and_lets_a_harmless_change_through()
    {
        var hooks = DefinedHooks();
        Assert.Equal(["keyward-audit-staged", "keyward-audit-manifests"], hooks.Select(h => h.Id));
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        Directory.CreateDirectory(repo.File("build"));
        File.WriteAllText(repo.File("build/settings.yaml"), HarmlessManifest);
        Git(repo.Path, "add", "build/settings.yaml");
        foreach (var hook in hooks)
            Assert.Equal(0, RunHook(hook, repo.Path, ["build/settings.yaml"]));

        File.WriteAllText(repo.File("build/token.yaml"), LeakyManifest);
        Git(repo.Path, "add", "build/token.yaml");
        foreach (var hook in hooks)
            Assert.Equal(1, RunHook(hook, repo.Path, ["build/settings.yaml", "build/token.yaml"]));
    }

    [RequiresToolFact("git")]
    public void A_staged_file_whose_name_starts_with_a_dash_is_audited_as_a_file_not_read_as_an_option()
    {
        using var repo = new TempDir();
        Git(repo.Path, "init", "-q", "-b", "main");
        Directory.CreateDirectory(repo.File("sub"));
        File.WriteAllText(repo.File("sub/cm.yaml"), HarmlessManifest);
        File.WriteAllText(repo.File("-o.yaml"), LeakyManifest);
        Git(repo.Path, "add", "--", "sub/cm.yaml", "-o.yaml");
        var manifests = Assert.Single(DefinedHooks(), h => h.PassFilenames);
        Assert.Equal(1, RunHook(manifests, repo.Path, ["sub/cm.yaml", "-o.yaml"]));
        Assert.False(File.Exists(repo.File(".yaml")), "the file name was read as -o .yaml and a report written there");
    }

    /// <summary>Stage names that pre-commit before 3.2 (Debian 12 packages 3.0.4) and after it both accept without a warning.</summary>
    private static readonly string[] PortableStages = ["manual", "commit-msg", "prepare-commit-msg", "post-checkout", "post-commit", "post-merge", "post-rewrite"];

    [Fact]
    public void The_hooks_use_only_what_every_pre_commit_from_3_0_accepts_and_end_their_options_before_file_names()
    {
        var (documents, error) = YamlDocuments.Read(File.ReadAllText(Path.Combine(SharedMaterial.RepositoryRoot, ".pre-commit-hooks.yaml")));
        Assert.Null(error);
        foreach (var hook in ((YamlList)Assert.Single(documents)).Items.OfType<YamlMap>())
        {
            // "pre-commit" is a stage name only since 3.2, and "commit" a deprecated one since then.
            foreach (var stage in hook.Sequence("stages")?.Items ?? [])
                Assert.Contains(((YamlScalar)stage).Value, PortableStages);
            // pre-commit appends file names to the entry as they are: "-o.yaml" must come after "--". (The staged hook
            // names its folder, ".", after it.)
            Assert.EndsWith(" --", hook.Scalar("entry")!.Split(" .")[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_documented_local_hooks_are_the_defined_hooks()
    {
        // The indented block in docs/audit.md that starts with "repos:" and uses "repo: local".
        var lines = File.ReadAllLines(Path.Combine(SharedMaterial.RepositoryRoot, "docs", "audit.md"));
        int start = Array.FindIndex(lines, l => l == "    repos:");
        Assert.True(start >= 0 && lines[start + 1].Trim() == "- repo: local", "docs/audit.md has no local-hook example");
        var block = lines.Skip(start).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l[4..]);
        var (documents, error) = YamlDocuments.Read(string.Join('\n', block) + "\n");
        Assert.Null(error);
        var repos = Assert.Single(documents).Sequence("repos")!;
        var documented = Hooks(repos[0].Child("hooks")!);
        Assert.Equal(DefinedHooks(), documented);
    }
}
