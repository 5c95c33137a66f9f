using Keyward.Testing;

namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// Rules that check each file alone run ahead, on the parse-ahead thread; the report must not change: the same
/// findings in the same order as when every rule runs as the engine reaches the file.
/// </summary>
public class CheckAheadTests
{
    public static TheoryData<string> Folders() =>
    [
        Path.Combine(SharedMaterial.RepositoryRoot, "examples"),
        SharedMaterial.Path("conformance", "kube-linter"),
        SharedMaterial.Path("conformance", "kubescape"),
        SharedMaterial.Path("conformance", "sops"),
    ];

    [Theory]
    [MemberData(nameof(Folders))]
    public void Checking_ahead_changes_no_finding_and_no_order(string folder)
    {
        var ahead = Audit(folder, CheckAheadMode.Always);
        var inTurn = Audit(folder, CheckAheadMode.Off);
        Assert.True(ahead.Count > 10, $"only {ahead.Count} findings in {folder}");
        Assert.Equal(inTurn, ahead);
    }

    [Fact]
    public void The_rules_that_check_each_file_alone_include_the_credential_and_secret_scans()
    {
        var alone = RuleRegistry.BuiltIn.Rules.Where(r => r.ChecksEachFileAlone).ToList();
        Assert.Contains(alone, r => r is Keyward.Audit.Credentials.CredentialRule);
        Assert.Contains(alone, r => r.Category == Category.Secrets);
        // Rules that look at other objects must not be run ahead: they read the context as files arrive.
        Assert.DoesNotContain(alone, r => r.Id is "KW701" or "KW306" or "KW801" or "KW804");
    }

    private static List<string> Audit(string folder, CheckAheadMode checkAhead)
    {
        using var inputs = new AuditInputs { RenderKustomize = false };
        inputs.AddPath(folder);
        var result = new Auditor(RuleRegistry.BuiltIn, new AuditOptions { CheckAhead = checkAhead }).Run(inputs);
        return [.. result.Findings.Select(f => $"{f.RuleId} {f.File}:{f.Position.Line}:{f.Position.Column} {f.Fingerprint} {f.Message} {f.SourceLine}")];
    }
}
