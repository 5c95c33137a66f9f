using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests;

/// <summary>
/// The guide grades a whole cluster as minimal, and the grade stays; but a write rule over a cluster's subtree also
/// allows the calls that administer the cluster itself, and the grade says so in a caution.
/// </summary>
public sealed class ClusterWriteCautionTests
{
    private static RuleGrade Grade(string rule) => RuleGrader.Grade(AccessRuleParser.FromArguments([rule])[0]);

    [Theory]
    [InlineData("POST /cloud/project/P1/kube/K1/*", "POST .../kubeconfig")]
    [InlineData("POST /cloud/project/P1/kube/K1/*", "POST .../reset")]
    [InlineData("PUT /cloud/project/P1/kube/K1/*", "PUT .../customization")]
    [InlineData("DELETE /cloud/project/P1/kube/K1/*", "DELETE .../openIdConnect")]
    // A star cutting a segment inside the cluster still reaches the kubeconfig.
    [InlineData("POST /cloud/project/P1/kube/K1/kube*", "POST .../kubeconfig")]
    // The exact call is the most direct way to mint one.
    [InlineData("POST /cloud/project/P1/kube/K1/kubeconfig", "POST .../kubeconfig")]
    public void Write_rules_over_a_clusters_own_calls_keep_their_grade_and_get_a_caution(string rule, string expected)
    {
        var grade = Grade(rule);
        Assert.Equal(RiskLevel.Minimal, grade.Level);
        Assert.NotNull(grade.Caution);
        Assert.Contains(expected, grade.Caution, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST /cloud/project/P1/kube/*")]
    [InlineData("POST /cloud/project/P1/kube/k*")]
    public void Write_rules_over_every_cluster_of_a_project_get_it_too(string rule)
    {
        var grade = Grade(rule);
        Assert.Equal(RiskLevel.Medium, grade.Level);
        Assert.Contains("POST .../kubeconfig", grade.Caution, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /cloud/project/P1/kube/K1/*")]
    [InlineData("POST /cloud/project/P1/kube/K1/nodepool")]
    [InlineData("PUT /cloud/project/P1/kube/K1/nodepool/*")]
    [InlineData("DELETE /cloud/project/P1/kube/K1/node/*")]
    [InlineData("POST /cloud/project/P1/kube/K1/*/nodes")]
    [InlineData("POST /domain/zone/example.com/*")]
    public void Reads_and_rules_that_stay_off_the_clusters_own_calls_get_none(string rule) => Assert.Null(Grade(rule).Caution);

    [Fact]
    public void The_profiles_rules_get_none()
    {
        var ids = new Dictionary<string, string?> { ["serviceName"] = "p1", ["kubeId"] = "k1", ["zone"] = "example.com" };
        foreach (var profile in BuiltInProfiles.All)
        {
            var rules = profile.Instantiate(ids, profile.Options.Select(o => o.Name), requireAll: true);
            Assert.All(RuleGrader.GradeSet(rules).Rules, r => Assert.Null(r.Caution));
        }
    }

    [Fact]
    public void The_set_lists_its_cautions_and_names_the_narrow_profile_for_the_cluster()
    {
        var set = RuleGrader.GradeSet(AccessRuleParser.FromArguments(["GET /cloud/project/P1/kube/K1/*", "POST /cloud/project/P1/kube/K1/*", "DELETE /cloud/project/P1/kube/K1/*"]));
        Assert.Equal(RiskLevel.Minimal, set.Level);
        Assert.Equal(["POST /cloud/project/P1/kube/K1/*", "DELETE /cloud/project/P1/kube/K1/*"], set.Cautions.Select(c => c.Rule.ToString()));
        Assert.Contains("keyward ovh rules --profile karpenter-mks --service-name P1 --kube-id K1", set.CautionAdvice, StringComparison.Ordinal);
        Assert.Null(RuleGrader.GradeSet(AccessRuleParser.FromArguments(["GET /cloud/project/P1/kube/K1/*"])).CautionAdvice);
    }
}
