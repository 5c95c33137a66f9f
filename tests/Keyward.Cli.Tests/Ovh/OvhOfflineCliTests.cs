using System.Text.RegularExpressions;
using Keyward.Cli.Tests.Support;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Tests;

namespace Keyward.Cli.Tests.Ovh;

/// <summary>The ovh commands that need no API: profiles, rules, check, allows, diff.</summary>
public sealed class OvhOfflineCliTests
{
    [Fact]
    public void Rules_reproduces_the_guides_pre_filled_url_with_its_placeholders()
    {
        var result = CliRunner.Run(["ovh", "rules", "--profile", "karpenter-mks", "--endpoint", "https://api.ovh.com/1.0"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(KarpenterGuide.PrefilledUrl + "\n", result.StdoutText);
        Assert.Contains("{serviceName} is left as a placeholder", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ovh-eu", "https://eu.api.ovh.com/createToken/?")]
    [InlineData("ovh-ca", "https://ca.api.ovh.com/createToken/?")]
    [InlineData("ovh-us", "https://api.us.ovhcloud.com/createToken/?")]
    public void Rules_uses_the_sdk_hosts_per_region(string endpoint, string prefix)
    {
        var result = CliRunner.Run(["ovh", "rules", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1", "--endpoint", endpoint]);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(prefix + "GET=/cloud/project/p1/kube/k1&", result.StdoutText, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void Rules_json_is_the_credential_request_body_and_parses_back()
    {
        var result = CliRunner.Run(["ovh", "rules", "--profile", "cert-manager-dns01", "--zone", "example.com", "--format", "json"]);
        Assert.Equal(0, result.ExitCode);
        var rules = AccessRuleParser.FromJson(result.StdoutText, "stdout");
        Assert.Equal(6, rules.Count);
        Assert.All(rules, r => Assert.StartsWith("/domain/zone/example.com/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void Rules_with_an_option_adds_its_rule()
    {
        var result = CliRunner.Run(["ovh", "rules", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "k1", "--with", "node-deletion", "--format", "table"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("DELETE  /cloud/project/p1/kube/k1/node/*", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_refuses_ids_that_would_widen_the_rules()
    {
        var result = CliRunner.Run(["ovh", "rules", "--profile", "karpenter-mks", "--service-name", "p1", "--kube-id", "*"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--kube-id \"*\" is not a valid", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_reproduces_the_guides_scope_table()
    {
        var table = KarpenterGuide.ScopeTable;
        var result = CliRunner.Run(["ovh", "check", "--max-risk", "critical", .. table.Select(t => "GET " + t.Path)]);
        Assert.Equal(0, result.ExitCode);
        var lines = result.StdoutText.Split('\n');
        foreach (var (scope, path, risk, recommendation) in table)
        {
            var line = lines.Single(l => l.Contains("GET " + path + " ", StringComparison.Ordinal));
            var match = Regex.Match(line, @"^(\w+)\s+(.+?)\s{2,}GET ");
            Assert.Equal(risk, match.Groups[1].Value, ignoreCase: true);
            Assert.Equal(scope, match.Groups[2].Value, ignoreCase: true);
        }
        Assert.Contains("overall: critical (never use)", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_fails_above_the_maximum_risk_and_says_which_rule()
    {
        var result = CliRunner.Run(["ovh", "check", "GET /cloud/project/p/kube/k/*", "PUT /cloud/project/p/kube/*"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the rules grade medium, above --max-risk minimal", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("PUT /cloud/project/p/kube/*", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run(["ovh", "check", "--max-risk", "medium", "GET /cloud/project/p/kube/k/*", "PUT /cloud/project/p/kube/*"]).ExitCode);
    }

    [Fact]
    public void Check_reads_the_guides_url_and_finds_it_minimal()
    {
        var result = CliRunner.Run(["ovh", "check", "--url", KarpenterGuide.PrefilledUrl]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("overall: minimal (recommended)", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_reads_json_from_stdin()
    {
        var json = "{\"rules\":[{\"method\":\"GET\",\"path\":\"/domain/zone/*\"}]}"u8.ToArray();
        var result = CliRunner.Run(["ovh", "check", "--file", "-"], stdin: json);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"(?m)^high\s+All zones\s+GET /domain/zone/\*", result.StdoutText);
    }

    [Fact]
    public void Check_with_two_sources_is_a_usage_error()
    {
        var result = CliRunner.Run(["ovh", "check", "--url", KarpenterGuide.PrefilledUrl, "GET /me"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("one way only", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Allows_names_the_rule()
    {
        var result = CliRunner.Run(["ovh", "allows", "GET /domain/zone/*", "POST /domain/zone/*/record", "POST", "/domain/zone/example.com/record"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("allowed: POST /domain/zone/example.com/record\n  by POST /domain/zone/*/record\n", result.StdoutText);
    }

    [Fact]
    public void Allows_explains_the_missing_root_rule()
    {
        var result = CliRunner.Run(["ovh", "allows", "--url", KarpenterGuide.PrefilledUrl, "DELETE", "/cloud/project/{serviceName}/kube/{kubeId}/node/n1"]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("not allowed", result.StdoutText, StringComparison.Ordinal);

        var root = CliRunner.Run(["ovh", "allows", "GET /sms/*", "GET", "/sms"]);
        Assert.Equal(1, root.ExitCode);
        Assert.Contains("does not cover /sms itself", root.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Allows_ignores_the_query()
    {
        var result = CliRunner.Run(["ovh", "allows", "GET /domain/zone/example.com/record", "GET", "/domain/zone/example.com/record?fieldType=TXT"]);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Diff_lists_failing_calls_and_excess_rules()
    {
        var result = CliRunner.Run(["ovh", "diff", "--profile", "cluster-autoscaler-mks", "--service-name", "p1", "--kube-id", "k1",
            "--granted", "GET /cloud/project/p1/kube/k1/nodepool/*", "PUT /cloud/project/p1/kube/k1/nodepool/*", "GET /cloud/project/p1/kube/k1/flavors", "DELETE /cloud/project/p1/*"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("will fail (NOT_GRANTED_CALL): GET /cloud/project/p1/kube/k1/nodepool  [ListNodePools]", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("grants more than needed (high, Entire project): DELETE /cloud/project/p1/*", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("grants more than needed (minimal, Single cluster): GET /cloud/project/p1/kube/k1/nodepool/*", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_of_the_profiles_own_url_is_exact()
    {
        var url = CliRunner.Run(["ovh", "rules", "--profile", "external-dns", "--zone", "example.com"]).StdoutText.Trim();
        var result = CliRunner.Run(["ovh", "diff", "--profile", "external-dns", "--zone", "example.com", "--url", url]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("exactly what the profile needs", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Profiles_lists_every_profile_with_the_calls_each_rule_serves()
    {
        var result = CliRunner.Run(["ovh", "profiles"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var name in new[] { "karpenter-mks", "cluster-autoscaler-mks", "external-dns", "cert-manager-dns01" })
            Assert.Contains(name + ": ", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("    serves GET /cloud/project/{serviceName}/kube/{kubeId}/nodepool/{nodePoolId}/nodes: list the nodes of a pool", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("option --with node-deletion", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_profiles_are_usage_errors()
    {
        var result = CliRunner.Run(["ovh", "rules", "--profile", "nope"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("karpenter-mks", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--application-secret")]
    [InlineData("--consumer-key")]
    public void Secrets_cannot_be_passed_on_the_command_line(string flag)
    {
        var result = CliRunner.Run(["ovh", "inspect", flag, "s3cr3t-value"]);
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("s3cr3t-value", result.StdoutText, StringComparison.Ordinal);
    }
}
