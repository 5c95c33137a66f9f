using Keyward.Testing;

namespace Keyward.Audit.Tests.Engine;

/// <summary>Blobs by id through one long-lived git cat-file --batch.</summary>
public sealed class GitBlobsTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "keyward-blobs-" + Guid.NewGuid().ToString("N")[..12]);

    public GitBlobsTests() => Directory.CreateDirectory(_repo);

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private string Git(params string[] args)
    {
        var r = ExternalTool.Run("git", ["-C", _repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return System.Text.Encoding.UTF8.GetString(r.Stdout).Trim();
    }

    [RequiresToolFact("git")]
    public void Blobs_read_in_any_order_and_what_is_not_a_small_text_file_is_null()
    {
        Git("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(_repo, "a.yaml"), "kind: ConfigMap\n");
        File.WriteAllBytes(Path.Combine(_repo, "tool.bin"), [0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]);
        File.WriteAllText(Path.Combine(_repo, "big.yaml"), new string('x', 5000));
        Git("add", ".");
        Git("commit", "-q", "-m", "one");
        File.WriteAllText(Path.Combine(_repo, "a.yaml"), "\uFEFFkind: Secret\n");
        Git("commit", "-q", "-am", "two");
        string before = Git("rev-parse", "HEAD^:a.yaml"), after = Git("rev-parse", "HEAD:a.yaml");

        using var blobs = new GitBlobs(_repo, maxBytes: 4096);
        Assert.Equal("kind: Secret\n", blobs.Read(after));
        Assert.Equal("kind: ConfigMap\n", blobs.Read(before));
        Assert.Null(blobs.Read(Git("rev-parse", "HEAD:tool.bin")));
        Assert.Null(blobs.Read(Git("rev-parse", "HEAD:big.yaml")));
        Assert.Null(blobs.Read(new string('0', 40)));
        Assert.Null(blobs.Read(Git("rev-parse", "HEAD"))); // a commit, not a blob
        Assert.Equal("kind: Secret\n", blobs.Read(after)); // the process goes on after each answer, whatever it was
    }

    [RequiresToolFact("git")]
    public void Reads_from_two_threads_each_get_their_own_answer()
    {
        Git("init", "-q", "-b", "main");
        for (int i = 0; i < 20; i++)
            File.WriteAllText(Path.Combine(_repo, $"f{i}.yaml"), $"name: f{i}\n" + new string('#', i * 500) + "\n");
        Git("add", ".");
        Git("commit", "-q", "-m", "files");
        var ids = Enumerable.Range(0, 20).Select(i => Git("rev-parse", $"HEAD:f{i}.yaml")).ToArray();
        using var blobs = new GitBlobs(_repo, maxBytes: 1 << 20);
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
            Assert.StartsWith($"name: f{n % 20}\n", blobs.Read(ids[n % 20]), StringComparison.Ordinal));
    }
}
