using System.Text;
using Keyward.Testing;

namespace Keyward.Audit.Tests.Engine;

/// <summary>A value a manifest already held is not new when a later edit rewrites its line: no rule reports it again.</summary>
public sealed class HistoryKnownValueTests : IDisposable
{
    private const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: shop\nstringData:\n  token: Zq8vN2kP4xR7tY1wE5uI\n";

    private readonly DirectoryInfo _repo = Directory.CreateTempSubdirectory("keyward-known-");

    public void Dispose() => _repo.Delete(recursive: true);

    private void Git(params string[] args)
    {
        var r = ExternalTool.Run("git", ["-C", _repo.FullName, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    private void Commit(string text, string message)
    {
        File.WriteAllText(Path.Combine(_repo.FullName, "secret.yaml"), text);
        Git("add", ".");
        Git("commit", "-q", "-m", message);
    }

    [RequiresToolFact("git")]
    public void Quoting_a_committed_value_brings_no_generic_finding_about_it()
    {
        Git("init", "-q", "-b", "main");
        Commit(Secret, "one");
        Commit(Secret.Replace("token: Zq8vN2kP4xR7tY1wE5uI", "token: \"Zq8vN2kP4xR7tY1wE5uI\"  # reformatted", StringComparison.Ordinal), "two: quote it");
        var inputs = new AuditInputs { BaseDirectory = _repo.FullName };
        GitHistory.AddHistory(inputs, [_repo.FullName], since: null);
        var findings = new Auditor(RuleRegistry.BuiltIn).Run(inputs).Findings.Where(f => f.Commit is not null).ToList();
        // The first commit's plaintext Secret is reported, once; the second commit brought nothing new.
        var first = Assert.Single(findings);
        Assert.Equal("KW101", first.RuleId);
        Assert.Equal("one", ExternalMessage(first));
    }

    private string ExternalMessage(Finding f)
    {
        var r = ExternalTool.Run("git", ["-C", _repo.FullName, "log", "-1", "--format=%s", f.Commit!.Sha]);
        return Encoding.UTF8.GetString(r.Stdout).Trim();
    }
}
