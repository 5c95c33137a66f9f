using System.Text;
using System.Text.Json;
using Keyward.Testing;

namespace Keyward.Cli.Tests.Support;

/// <summary>Throwaway Git repositories for the history and staged tests, with an identity that needs no user config.</summary>
internal static class GitRepo
{
    public const string Token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";
    public const string OtherToken = "ghp_Zq9vL2mXw8RtY4bN6cKdF3hJ7pGs1aEuQw0P";

    public const string PlaintextSecret =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: Zq9vL2mXw8RtY4bN6cKdF3hJ7pGs1aEu\n";

    /// <summary>An empty repository on branch main.</summary>
    public static TempDir Init()
    {
        var dir = new TempDir();
        Git(dir.Path, "init", "-q", "-b", "main");
        return dir;
    }

    /// <summary>Runs git in <paramref name="repo"/> and fails the test if git fails; returns its output, trimmed.</summary>
    public static string Git(string repo, params string[] args)
    {
        var r = ExternalTool.Run("git", ["-C", repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(r.ExitCode == 0, $"git {string.Join(' ', args)}: {r.Stderr}");
        return Encoding.UTF8.GetString(r.Stdout).Trim();
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> (folders made as needed) and stages it.</summary>
    public static void Stage(TempDir repo, string name, string text)
    {
        var path = repo.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        Git(repo.Path, "add", "--", name);
    }

    public static void Commit(TempDir repo, string message) => Git(repo.Path, "commit", "-q", "--no-verify", "-m", message);

    /// <summary>The findings of a JSON report, each as (path from the repository's top, line, rule).</summary>
    public static List<(string File, int Line, string Rule)> Findings(TempDir repo, CliRunner.Result result)
    {
        Assert.True(result.ExitCode is 0 or 1, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        return [.. json.RootElement.GetProperty("findings").EnumerateArray().Select(f => (
            Path.GetRelativePath(repo.Path, Path.GetFullPath(f.GetProperty("file").GetString()!)),
            f.GetProperty("line").GetInt32(),
            f.GetProperty("ruleId").GetString()!))];
    }
}
