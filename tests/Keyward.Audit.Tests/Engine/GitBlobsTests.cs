using Keyward.Testing;

namespace Keyward.Audit.Tests.Engine;

/// <summary>Whole files from commits and the index through one git cat-file --batch.</summary>
public sealed class GitBlobsTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "keyward-blobs-" + Guid.NewGuid().ToString("N")[..12]);

    public GitBlobsTests() => Directory.CreateDirectory(_repo);

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private void Git(params string[] args)
    {
        var r = ExternalTool.Run("git", ["-C", _repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    [RequiresToolFact("git")]
    public void Versions_come_back_in_order_and_what_is_not_a_small_text_file_is_null()
    {
        Git("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(_repo, "a.yaml"), "kind: ConfigMap\n");
        File.WriteAllBytes(Path.Combine(_repo, "tool.bin"), [0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]);
        File.WriteAllText(Path.Combine(_repo, "big.yaml"), new string('x', 5000));
        Git("add", ".");
        Git("commit", "-q", "-m", "one");
        File.WriteAllText(Path.Combine(_repo, "a.yaml"), "\uFEFFkind: Secret\n");
        Git("commit", "-q", "-am", "two");
        File.WriteAllText(Path.Combine(_repo, "a.yaml"), "kind: ConfigMap\n");
        Git("add", "a.yaml");

        var blobs = GitBlobs.Read(_repo, ["HEAD:a.yaml", "HEAD^:a.yaml", ":a.yaml", "HEAD:tool.bin", "HEAD:big.yaml", "HEAD:missing.yaml", "HEAD", "HEAD^:a.yaml"], maxBytes: 4096);

        Assert.Equal(["kind: Secret\n", "kind: ConfigMap\n", "kind: ConfigMap\n", null, null, null, null, "kind: ConfigMap\n"], blobs);
        // The same blob is one string, however often and under whatever name it is asked for.
        Assert.Same(blobs[1], blobs[2]);
        Assert.Same(blobs[1], blobs[7]);
    }

    [Fact]
    public void No_request_needs_no_git()
    {
        Assert.Empty(GitBlobs.Read("/nonexistent-" + Guid.NewGuid().ToString("N"), [], 1024));
    }
}
