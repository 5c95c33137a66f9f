using Keyward.Ovh.Grading;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests;

public sealed class GradingTests
{
    [Theory]
    [InlineData("GET /cloud/project/p/kube/k", RiskLevel.Minimal, "Single cluster")]
    [InlineData("DELETE /cloud/project/p/kube/k/nodepool/*", RiskLevel.Minimal, "Single cluster")]
    [InlineData("GET /cloud/project/p/capabilities/kube/*", RiskLevel.Minimal, "MKS catalog")]
    [InlineData("PUT /cloud/project/p/capabilities/kube/*", RiskLevel.High, "Entire project")]
    [InlineData("GET /cloud/project/p/kube", RiskLevel.Minimal, "Cluster list")]
    [InlineData("POST /cloud/project/p/kube", RiskLevel.Medium, "All MKS clusters")]
    // A star that cuts the cluster id also reaches every cluster whose id starts the same way.
    [InlineData("GET /cloud/project/p/kube/k*", RiskLevel.Medium, "All MKS clusters")]
    [InlineData("GET /cloud/project/p/kube*", RiskLevel.High, "Entire project")]
    [InlineData("GET /cloud/project/p/instance", RiskLevel.High, "Entire project")]
    [InlineData("GET /cloud/project/p*", RiskLevel.Critical, "All projects")]
    [InlineData("GET /cloud/project/*/kube/k/*", RiskLevel.Critical, "All projects")]
    [InlineData("GET /cloud/project", RiskLevel.High, "Project list")]
    [InlineData("GET /*", RiskLevel.Critical, "Whole account")]
    [InlineData("GET /me", RiskLevel.High, "Account")]
    [InlineData("POST /me/api/credential", RiskLevel.Critical, "Whole account")]
    [InlineData("DELETE /me/*", RiskLevel.Critical, "Whole account")]
    [InlineData("POST /domain/zone/example.com/record", RiskLevel.Minimal, "Records of one zone")]
    [InlineData("DELETE /domain/zone/example.com/record/*", RiskLevel.Minimal, "Records of one zone")]
    [InlineData("POST /domain/zone/example.com/refresh", RiskLevel.Minimal, "One zone")]
    [InlineData("GET /domain/zone/example.com/status", RiskLevel.Minimal, "One zone")]
    [InlineData("POST /domain/zone/example.com/reset", RiskLevel.Medium, "Whole zone")]
    [InlineData("GET /domain/zone/example.com/*", RiskLevel.Medium, "Whole zone")]
    [InlineData("GET /domain/zone/example.com/record*", RiskLevel.Medium, "Whole zone")]
    [InlineData("GET /domain/zone", RiskLevel.Medium, "Zone list")]
    [InlineData("GET /domain/zone/*", RiskLevel.High, "All zones")]
    [InlineData("PUT /domain/zone/*/record/*", RiskLevel.High, "All zones")]
    [InlineData("GET /domain/*", RiskLevel.Critical, "All domains")]
    public void Rules_are_graded_by_what_they_reach(string rule, RiskLevel level, string scope)
    {
        var grade = RuleGrader.Grade(AccessRuleParser.FromArguments([rule])[0]);
        Assert.Equal(level, grade.Level);
        Assert.Equal(scope, grade.Scope);
        Assert.False(string.IsNullOrWhiteSpace(grade.Reason));
    }

    [Fact]
    public void A_set_is_as_risky_as_its_worst_rule()
    {
        var set = RuleGrader.GradeSet(AccessRuleParser.FromArguments(["GET /cloud/project/p/kube/k", "PUT /cloud/project/p/kube/*"]));
        Assert.Equal(RiskLevel.Medium, set.Level);
        Assert.Equal("PUT /cloud/project/p/kube/*", set.Worst!.Rule.ToString());
    }

    [Fact]
    public void A_set_that_spans_two_clusters_is_at_least_medium()
    {
        var set = RuleGrader.GradeSet(AccessRuleParser.FromArguments(["GET /cloud/project/p/kube/k1/*", "GET /cloud/project/p/kube/k2/*"]));
        Assert.All(set.Rules, r => Assert.Equal(RiskLevel.Minimal, r.Level));
        Assert.Equal(RiskLevel.Medium, set.Level);
        Assert.Contains(set.Notes, n => n.Contains("one credential set per cluster", StringComparison.Ordinal));
    }

    [Fact]
    public void A_set_that_spans_two_projects_is_at_least_high()
    {
        var set = RuleGrader.GradeSet(AccessRuleParser.FromArguments(["GET /cloud/project/p1/kube/k", "GET /cloud/project/p2/kube/k"]));
        Assert.Equal(RiskLevel.High, set.Level);
    }

    [Theory]
    [InlineData("minimal", RiskLevel.Minimal)]
    [InlineData("HIGH", RiskLevel.High)]
    [InlineData(" critical ", RiskLevel.Critical)]
    public void Levels_parse_by_name(string text, RiskLevel expected)
    {
        Assert.True(RiskLevels.TryParse(text, out var level));
        Assert.Equal(expected, level);
    }

    [Fact]
    public void Unknown_levels_do_not_parse() => Assert.False(RiskLevels.TryParse("low", out _));
}
