using Keyward.Testing;

namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// A credential found in a commit's added lines names the object whose document holds the line, in the version of
/// the file that commit made, as the same finding on disk does.
/// </summary>
public sealed class HistoryObjectAttributionTests : IDisposable
{
    private const string OvhSecret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\nstringData:\n  applicationKey: Xk3pQ9rT2vLm8NwZ\n";
    private const string ConsumerKeyLine = "  consumerKey: 9aK4mN7qR2tV6xZ1cF8hJ3lP5sW0yB4d\n";

    private readonly DirectoryInfo _repo = Directory.CreateTempSubdirectory("keyward-attribution-");

    public void Dispose() => _repo.Delete(recursive: true);

    [RequiresToolFact("git")]
    public void A_credential_in_a_created_manifest_names_its_object()
    {
        Init();
        Commit("ovh.yaml", OvhSecret, "create");
        var kw203 = HistoryFindings().Where(f => f.RuleId == "KW203").ToList();
        Assert.NotEmpty(kw203);
        Assert.All(kw203, f => Assert.Equal("Secret/karpenter/ovh-credentials", f.Resource?.ToString()));
    }

    [RequiresToolFact("git")]
    public void A_credential_added_to_an_existing_manifest_names_its_object()
    {
        Init();
        Commit("ovh.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: karpenter\ndata:\n  region: gra\n---\n" + OvhSecret, "create");
        Commit("ovh.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: karpenter\ndata:\n  region: gra\n---\n" + OvhSecret + ConsumerKeyLine, "add the consumer key");
        var added = Assert.Single(HistoryFindings(), f => f.RuleId == "KW203" && Subject(f) == "add the consumer key");
        Assert.Equal("Secret/karpenter/ovh-credentials", added.Resource?.ToString());
    }

    [RequiresToolFact("git")]
    public void Each_commit_names_the_object_of_its_own_version_of_the_file()
    {
        Init();
        Commit("ovh.yaml", OvhSecret, "create");
        Commit("ovh.yaml", OvhSecret.Replace("name: ovh-credentials", "name: ovh-api", StringComparison.Ordinal)
            .Replace("Xk3pQ9rT2vLm8NwZ", "Lm8NwZXk3pQ9rT2v", StringComparison.Ordinal), "rename and replace");
        var byCommit = HistoryFindings().Where(f => f.RuleId == "KW203").ToDictionary(Subject, f => f.Resource?.ToString());
        Assert.Equal("Secret/karpenter/ovh-credentials", byCommit["create"]);
        Assert.Equal("Secret/karpenter/ovh-api", byCommit["rename and replace"]);
    }

    [RequiresToolFact("git")]
    public void The_objects_ignore_annotation_covers_a_credential_in_its_history()
    {
        Init();
        Commit("ovh.yaml", OvhSecret.Replace("  namespace: karpenter\n", "  namespace: karpenter\n  annotations:\n    keyward.io/ignore: \"KW203,KW101\"\n", StringComparison.Ordinal), "create");
        Assert.DoesNotContain(HistoryFindings(), f => f.RuleId == "KW203");
    }

    [RequiresToolFact("git")]
    public void A_baseline_written_when_history_credentials_named_no_object_still_accepts_them()
    {
        Init();
        Commit("ovh.yaml", OvhSecret, "create");
        var found = HistoryFindings().Where(f => f.RuleId == "KW203").ToList();
        Assert.NotEmpty(found);
        // What such a baseline recorded: the fingerprint of the finding without its object.
        var earlier = new Baseline(found.Select(f => Fingerprints.Of(f with { Resource = null }, f.TreePath!)));
        Assert.DoesNotContain(HistoryFindings(earlier), f => f.RuleId == "KW203");
        // And only those: the same fingerprints with another rule's name accept nothing.
        var other = new Baseline(found.Select(f => Fingerprints.Of(f with { Resource = null, RuleId = "KW211" }, f.TreePath!)));
        Assert.Equal(found.Count, HistoryFindings(other).Count(f => f.RuleId == "KW203"));
    }

    private void Init() => Git("init", "-q", "-b", "main");

    private void Commit(string file, string text, string message)
    {
        File.WriteAllText(Path.Combine(_repo.FullName, file), text);
        Git("add", ".");
        Git("commit", "-q", "-m", message);
    }

    private void Git(params string[] args)
    {
        var r = ExternalTool.Run("git", ["-C", _repo.FullName, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    private string Subject(Finding f)
    {
        var r = ExternalTool.Run("git", ["-C", _repo.FullName, "log", "-1", "--format=%s", f.Commit!.Sha]);
        return System.Text.Encoding.UTF8.GetString(r.Stdout).Trim();
    }

    private List<Finding> HistoryFindings(Baseline? baseline = null)
    {
        var inputs = new AuditInputs { BaseDirectory = _repo.FullName };
        GitHistory.AddHistory(inputs, [_repo.FullName], since: null);
        return new Auditor(RuleRegistry.BuiltIn, new AuditOptions { Baseline = baseline }).Run(inputs).Findings.Where(f => f.Commit is not null).ToList();
    }
}
