using Keyward.Audit.Rules.Cloud;

namespace Keyward.Audit.Tests.Rules;

/// <summary>
/// KW901 grades the rules it finds with the grader of <c>keyward ovh check</c>: the same level for the same rule,
/// wherever the rule is written.
/// </summary>
public sealed class OvhAccessRulesTests
{
    private static readonly OvhAccessRulesRule Rule = new();

    private static List<Finding> Audit(string file, string text) => [.. AuditHarness.RunRule(Rule, file, text).Findings];

    [Theory]
    [InlineData("/me/*", Severity.Critical)]
    [InlineData("/domain/*", Severity.Critical)]
    [InlineData("/domain/zone/*", Severity.High)]
    [InlineData("/cloud/project/abc/instance/*", Severity.High)]
    [InlineData("/cloud/project/abc/kube*", Severity.High)]
    [InlineData("/cloud/project/abc/kube/k8s*", Severity.Medium)]
    [InlineData("/cloud/project/*/kube/*", Severity.Critical)]
    [InlineData("/cloud/project/abc/kube/def/../../*", Severity.Critical)]
    public void Each_form_gives_the_graders_level(string path, Severity expected)
    {
        var url = Audit("README.md", $"https://eu.api.ovh.com/createToken/?POST={path}\n");
        var json = Audit("credential.json", $"{{\"accessRules\": [{{\"method\": \"POST\", \"path\": \"{path}\"}}]}}\n");
        var recorded = Audit("ovh.yaml", $"metadata:\n  annotations:\n    keyward.io/ovh-rules: \"POST {path}\"\n");
        foreach (var findings in new[] { url, json, recorded })
            Assert.Equal(expected, Assert.Single(findings).Severity);
    }

    [Fact]
    public void Rules_within_one_cluster_each_that_reach_two_clusters_are_one_finding_at_the_set()
    {
        var text = "https://eu.api.ovh.com/createToken/?GET=/cloud/project/abc/kube/one/nodepool&GET=/cloud/project/abc/kube/two/nodepool\n";
        var finding = Assert.Single(Audit("README.md", text));
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("2 clusters", finding.Message, StringComparison.Ordinal);
        Assert.Equal(text.IndexOf("createToken", StringComparison.Ordinal) + 1, finding.Position.Column);
    }

    [Fact]
    public void The_methods_of_one_path_are_one_finding_and_the_method_counts()
    {
        // GET on the cluster list is minimal (ids only); POST on it creates clusters in the project.
        var findings = Audit("README.md", "https://eu.api.ovh.com/createToken/?GET=/cloud/project/abc/kube&POST=/cloud/project/abc/kube&PUT=/cloud/*&DELETE=/cloud/*\n");
        Assert.Equal(2, findings.Count);
        Assert.Contains(findings, f => f.Severity == Severity.Medium && f.Message.Contains("grants POST /cloud/project/abc/kube:", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Severity == Severity.Critical && f.Message.Contains("grants PUT, DELETE /cloud/*:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_url_in_html_or_markdown_with_escaped_ampersands_is_read()
    {
        var findings = Audit("docs/setup.html", "<a href=\"https://eu.api.ovh.com/createToken/?GET=/cloud/project/abc/kube/def&amp;POST=/cloud/*\">token</a>\n");
        Assert.Equal(Severity.Critical, Assert.Single(findings).Severity);
    }

    [Fact]
    public void A_json_path_without_its_method_is_graded_as_a_write()
    {
        var withoutMethod = Audit("rules.json", "{\"accessRules\": [{\"path\": \"/cloud/project/abc/kube\"}]}\n");
        Assert.Equal(Severity.Medium, Assert.Single(withoutMethod).Severity);
        Assert.Empty(Audit("rules.json", "{\"accessRules\": [{\"path\": \"/cloud/project/abc/kube\", \"method\": \"GET\"}]}\n"));
    }
}
