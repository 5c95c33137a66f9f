using Keyward.Testing;

namespace Keyward.Audit.Tests.Conformance;

/// <summary>
/// KW102 on real SOPS files (shared/conformance/sops/fixtures, written by sops itself and Flux's tests): none is
/// reported as damaged except no_mac.yaml, whose MAC sops's own tests removed.
/// </summary>
public class SopsFixtureTests
{
    [Fact]
    public void Real_SOPS_files_are_not_reported_as_damaged_and_a_missing_MAC_is()
    {
        var root = SharedMaterial.Path("conformance", "sops", "fixtures");
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".env", StringComparison.Ordinal))
                        && !f.Contains(".decrypted.", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)))
            .Where(f => f.Item2.Contains("\nsops:", StringComparison.Ordinal) || f.Item2.Contains("\"sops\":", StringComparison.Ordinal) || f.Item2.Contains("sops_version=", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count >= 15, $"only {files.Count} SOPS fixtures found");
        var findings = AuditHarness.Run(files, new AuditOptions { OnlyRules = ["KW102"] }).Findings;
        var flagged = findings.Select(f => $"{f.File}: {f.Message}").ToList();
        Assert.True(flagged.All(f => f.StartsWith("sops-repo-pgp/no_mac.yaml:", StringComparison.Ordinal)), string.Join("\n", flagged));
        Assert.Contains(findings, f => f.File == "sops-repo-pgp/no_mac.yaml" && f.Message.Contains("MAC", StringComparison.Ordinal));
    }
}
