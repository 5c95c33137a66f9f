using System.Diagnostics;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;
using static Keyward.Cli.Tests.Support.GitRepo;

namespace Keyward.Cli.Tests.Audit;

/// <summary>
/// .pre-commit-hooks.yaml as the installed pre-commit reads it (Debian 12 packages 3.0.4, older than the stage names
/// of 3.2): the manifest validates, and the hooks run from a repository that refers to a copy of it, with the keyward
/// built next to the tests on PATH. Everything pre-commit makes stays in temporary folders.
/// </summary>
public class PreCommitInstalledTests
{
    private const string LeakyManifest =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\n  namespace: build\nstringData:\n  token: ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n";

    /// <summary>A folder with a <c>keyward</c> script that runs the keyward built next to the tests.</summary>
    private static void WriteKeywardOnPath(string bin)
    {
        var psi = KeywardProcess.StartInfo();
        static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var command = string.Join(' ', [Quote(psi.FileName), .. psi.ArgumentList.Select(Quote)]);
        var script = Path.Combine(bin, "keyward");
        File.WriteAllText(script, $"#!/bin/sh\nexec {command} \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static (int Code, string Output) PreCommit(string project, string home, string bin, params string[] args)
    {
        var psi = new ProcessStartInfo("pre-commit") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["PRE_COMMIT_HOME"] = home;
        psi.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "pre-commit did not finish");
        return (process.ExitCode, stdout + stderr.Result);
    }

    [RequiresToolFact("git", "pre-commit")]
    public void The_installed_pre_commit_validates_the_hooks_and_runs_them()
    {
        using var work = new TempDir();
        var bin = work.File("bin");
        Directory.CreateDirectory(bin);
        WriteKeywardOnPath(bin);
        var hooks = work.File("hooks");
        Directory.CreateDirectory(hooks);
        Git(hooks, "init", "-q", "-b", "main");
        File.Copy(Path.Combine(SharedMaterial.RepositoryRoot, ".pre-commit-hooks.yaml"), Path.Combine(hooks, ".pre-commit-hooks.yaml"));
        Git(hooks, "add", ".pre-commit-hooks.yaml");
        Git(hooks, "commit", "-q", "-m", "hooks");
        var project = work.File("project");
        Directory.CreateDirectory(project);
        Git(project, "init", "-q", "-b", "main");
        var home = work.File("pre-commit-home");

        File.WriteAllText(Path.Combine(project, "settings.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG: info\n");
        Git(project, "add", "settings.yaml");
        var harmless = PreCommit(project, home, bin, "try-repo", hooks, "--color", "never");
        Assert.True(harmless.Code == 0, harmless.Output);
        Assert.Contains("keyward audit (staged changes)", harmless.Output, StringComparison.Ordinal);
        Assert.Contains("keyward audit (changed manifests)", harmless.Output, StringComparison.Ordinal);

        // A manifest whose name reads as an option (-o.yaml) is audited, not taken for "-o .yaml".
        File.WriteAllText(Path.Combine(project, "-o.yaml"), LeakyManifest);
        Git(project, "add", "--", "-o.yaml");
        var leaky = PreCommit(project, home, bin, "try-repo", hooks, "--color", "never");
        Assert.True(leaky.Code == 1, leaky.Output);
        Assert.DoesNotContain("Passed", leaky.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, ".yaml")), leaky.Output);

        // In CI nothing is staged: the staged hook says it scanned nothing.
        Git(project, "commit", "-q", "--no-verify", "-m", "files");
        var all = PreCommit(project, home, bin, "try-repo", hooks, "keyward-audit-staged", "--all-files", "--verbose", "--color", "never");
        Assert.Contains("nothing is staged, so nothing was scanned", all.Output, StringComparison.Ordinal);
    }
}
