using System.Diagnostics;
using Keyward.Cli.Tests.Support;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Audit;

/// <summary>Which .keyward.yaml an audit uses when --config does not say: the repository's, from wherever it runs.</summary>
public class AuditConfigDiscoveryTests
{
    private const string Token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";

    private static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, params string[] args)
    {
        var psi = KeywardProcess.StartInfo(["audit", .. args]);
        psi.WorkingDirectory = workingDirectory;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [RequiresToolFact("git")]
    public void The_repository_config_applies_from_a_subfolder_and_from_outside()
    {
        using var dir = new TempDir();
        var repo = dir.File("repo");
        Directory.CreateDirectory(Path.Combine(repo, "apps"));
        Assert.Equal(0, ExternalTool.Run("git", ["init", "-q", repo]).ExitCode);
        File.WriteAllText(Path.Combine(repo, "apps", "ci.env"), $"GITHUB_TOKEN={Token}\n");
        // The repository lowers the token rule below the failing threshold: a config that is not found fails the run.
        File.WriteAllText(Path.Combine(repo, ".keyward.yaml"), "rules:\n  KW207: low\n");

        var atRoot = Run(repo, ".");
        Assert.Equal(0, atRoot.ExitCode);
        Assert.DoesNotContain("note: using", atRoot.Stderr, StringComparison.Ordinal);

        var inSub = Run(Path.Combine(repo, "apps"), ".");
        Assert.True(inSub.ExitCode == 0, inSub.Stdout + inSub.Stderr);
        Assert.Contains("keyward: note: using \"../.keyward.yaml\"", inSub.Stderr, StringComparison.Ordinal);

        var fromOutside = Run(dir.Path, "repo/apps");
        Assert.True(fromOutside.ExitCode == 0, fromOutside.Stdout + fromOutside.Stderr);
        Assert.Contains("keyward: note: using \"repo/.keyward.yaml\"", fromOutside.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_a_work_tree_a_config_in_a_parent_folder_is_not_used()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("apps"));
        File.WriteAllText(dir.File("apps/ci.env"), $"GITHUB_TOKEN={Token}\n");
        File.WriteAllText(dir.File(".keyward.yaml"), "rules:\n  KW207: low\n");
        var inSub = Run(dir.File("apps"), ".");
        Assert.Equal(1, inSub.ExitCode);
        Assert.DoesNotContain("note: using", inSub.Stderr, StringComparison.Ordinal);
    }
}
