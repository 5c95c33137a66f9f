namespace Keyward.Audit.Tests.Credentials;

/// <summary>
/// go.sum and go.work.sum hold the go command's module checksums: a base64 SHA-256 after "h1:", on a line whose module
/// path often holds a keyword (oauth2, auth, credentials, secretmanager). They are not searched for credentials.
/// </summary>
public class GoChecksumFilesTests
{
    private const string Checksums =
        "golang.org/x/oauth2 v0.36.0 h1:peZ/1z27fi9hUOFCAZaHyrpWG5lwe0RJEEEeH0ThlIs=\n" +
        "golang.org/x/oauth2 v0.36.0/go.mod h1:YDBUJMTkDnJS+A4BP4eZBjCqtokkg1hODuPjwiGPO7Q=\n" +
        "k8s.io/api v0.36.3 h1:NxB+1z27fi9hUOFCAZaHyrpWG5lwe0RJEEEeH0ThlIs=\n" +
        "cloud.google.com/go/secretmanager v1.14.2 h1:2XscWCfy//l/qF96YE18/oUaNJynAx749Jg3u0CjQr8=\n";

    [Theory]
    [InlineData("go.sum")]
    [InlineData("go.work.sum")]
    [InlineData("src/frontend/go.sum")]
    public void Checksum_files_give_no_credential_finding(string file)
    {
        var findings = AuditHarness.Run(file, Checksums).Findings;
        Assert.True(findings.Count == 0, string.Join("; ", findings.Select(f => $"{f.RuleId} {f.Position}")));
    }

    [Fact]
    public void Other_files_are_still_searched()
    {
        var findings = AuditHarness.Run("notes.txt", "export SERVICE_TOKEN=4f9d2c7be81a0e35c6d94b27f0a18e3c\n").Findings;
        Assert.Contains(findings, f => f.RuleId == "KW211");
        Assert.Contains(AuditHarness.Run("go.sum.txt", "export SERVICE_TOKEN=4f9d2c7be81a0e35c6d94b27f0a18e3c\n").Findings, f => f.RuleId == "KW211");
    }
}
