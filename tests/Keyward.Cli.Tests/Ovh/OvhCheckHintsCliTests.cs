using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>check, diff, rules and allows: options checked before any output, hints that fit the problem, no dot segments.</summary>
public sealed class OvhCheckHintsCliTests
{
    private static string Hint(CliRunner.Result result) =>
        result.Stderr.Split('\n').Single(l => l.StartsWith("keyward: hint: ", StringComparison.Ordinal));

    [Fact]
    public void A_set_spanning_two_clusters_is_told_to_split_not_to_narrow_a_rule()
    {
        var result = CliRunner.Run(["ovh", "check", "GET /cloud/project/P/kube/K1/*", "GET /cloud/project/P/kube/K2/*"]);
        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("narrow the worst rule", Hint(result), StringComparison.Ordinal);
        Assert.Contains("one key per cluster", Hint(result), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wide_rule_is_still_told_to_narrow()
    {
        var result = CliRunner.Run(["ovh", "check", "GET /cloud/project/P/*"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("narrow the worst rule (GET /cloud/project/P/*)", Hint(result), StringComparison.Ordinal);
    }

    [Fact]
    public void A_profiles_own_rules_are_not_told_to_narrow()
    {
        // external-dns needs to list the account's zones (GET /domain/zone), which grades medium.
        var url = CliRunner.Run(["ovh", "rules", "--profile", "external-dns", "--zone", "example.com", "-f", "json"]);
        Assert.Equal(0, url.ExitCode);
        var rules = Path.Combine(Path.GetTempPath(), $"keyward-profile-rules-{Guid.NewGuid():N}.json");
        File.WriteAllText(rules, url.StdoutText);
        try
        {
            var result = CliRunner.Run(["ovh", "check", "--file", rules]);
            Assert.Equal(1, result.ExitCode);
            Assert.DoesNotContain("narrow", Hint(result), StringComparison.Ordinal);
            Assert.Contains("exactly the rules of profile external-dns", Hint(result), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    [Fact]
    public void An_invalid_max_risk_is_refused_before_anything_is_printed()
    {
        var result = CliRunner.Run(["ovh", "check", "--max-risk", "low", "GET /x"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StdoutText);
        Assert.Contains("--max-risk \"low\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_without_the_ids_warns_that_they_are_placeholders()
    {
        var result = CliRunner.Run(["ovh", "diff", "--profile", "karpenter-mks", "--granted", "GET /cloud/project/P/kube/K/*"]);
        Assert.Contains("keyward: warning: {serviceName} is left as a placeholder; pass --service-name", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: warning: {kubeId} is left as a placeholder; pass --kube-id", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rules", "--kube-id")]
    [InlineData("rules", "--service-name")]
    [InlineData("diff", "--kube-id")]
    public void An_empty_id_is_an_error_not_an_absent_one(string command, string flag)
    {
        string[] ids = flag == "--kube-id" ? ["--service-name", "P", "--kube-id", ""] : ["--service-name", "", "--kube-id", "K"];
        string[] args = command == "rules"
            ? ["ovh", "rules", "--profile", "karpenter-mks", .. ids]
            : ["ovh", "diff", "--profile", "karpenter-mks", .. ids, "--granted", "GET /cloud/project/P/kube/K/*"];
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StdoutText);
        Assert.Contains($"keyward: error: {flag} is empty", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_zone_is_an_error()
    {
        var result = CliRunner.Run(["ovh", "rules", "--profile", "external-dns", "--zone", " "]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--zone is empty", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_refuses_dot_segments()
    {
        var result = CliRunner.Run(["ovh", "check", "GET /cloud/project/P/kube/K/../../../*"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StdoutText);
        Assert.Contains("keyward: hint: ", result.Stderr, StringComparison.Ordinal);
        var url = CliRunner.Run(["ovh", "check", "--url", "https://eu.api.ovh.com/createToken/?GET=/cloud/project/P/kube/K/%2e%2e/%2e%2e/%2e%2e/*"]);
        Assert.Equal(2, url.ExitCode);
    }

    [Fact]
    public void Allows_refuses_a_call_with_dot_segments()
    {
        var result = CliRunner.Run(["ovh", "allows", "GET /cloud/project/P/kube/K/*", "GET", "/cloud/project/P/kube/K/../../../me"]);
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("allowed", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_application_secret_file_has_a_hint()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("as"), "\n");
        var result = CliRunner.Run(["ovh", "inspect", "--endpoint", "http://127.0.0.1:9/1.0", "--application-key", "ak", "--application-secret-file", dir.File("as")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is empty", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("keyward: hint: ", result.Stderr, StringComparison.Ordinal);
    }
}
