using Keyward.Ovh.Api;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests;

/// <summary>The library reproduces the guide: its eight rules, its pre-filled URL, its scope table.</summary>
public sealed class GuideTests
{
    private static readonly Dictionary<string, string?> NoValues = [];

    [Fact]
    public void The_guide_tables_are_read()
    {
        Assert.Equal(8, KarpenterGuide.RequiredPermissions.Count);
        Assert.Equal(4, KarpenterGuide.ScopeTable.Count);
    }

    [Fact]
    public void The_karpenter_profile_has_exactly_the_eight_rules_of_the_guide_in_its_order()
    {
        var rules = BuiltInProfiles.Karpenter.Instantiate(NoValues, [], requireAll: false);
        Assert.Equal(KarpenterGuide.RequiredPermissions.Select(p => $"{p.Method} {p.Path}"), rules.Select(r => r.ToString()));
    }

    [Fact]
    public void The_pre_filled_url_is_reproduced_exactly_on_the_guides_host()
    {
        var rules = BuiltInProfiles.Karpenter.Instantiate(NoValues, [], requireAll: false);
        Assert.Equal(KarpenterGuide.PrefilledUrl, CreateTokenUrl.Build(OvhEndpoint.Parse("https://api.ovh.com/1.0"), rules));
    }

    [Fact]
    public void On_the_sdk_host_only_the_host_differs()
    {
        var rules = BuiltInProfiles.Karpenter.Instantiate(NoValues, [], requireAll: false);
        var url = CreateTokenUrl.Build(OvhEndpoint.Parse("ovh-eu"), rules);
        Assert.Equal(KarpenterGuide.PrefilledUrl.Replace("https://api.ovh.com/", "https://eu.api.ovh.com/", StringComparison.Ordinal), url);
        Assert.StartsWith("https://ca.api.ovh.com/createToken/?GET=", CreateTokenUrl.Build(OvhEndpoint.Parse("ovh-ca"), rules), StringComparison.Ordinal);
        Assert.StartsWith("https://api.us.ovhcloud.com/createToken/?GET=", CreateTokenUrl.Build(OvhEndpoint.Parse("ovh-us"), rules), StringComparison.Ordinal);
    }

    [Fact]
    public void The_pre_filled_url_parses_back_to_the_guides_rules()
    {
        var rules = AccessRuleParser.FromCreateTokenUrl(KarpenterGuide.PrefilledUrl);
        Assert.Equal(KarpenterGuide.RequiredPermissions.Select(p => $"{p.Method} {p.Path}"), rules.Select(r => r.ToString()));
    }

    [Fact]
    public void The_scope_table_is_reproduced_by_the_grader()
    {
        foreach (var (scope, path, risk, recommendation) in KarpenterGuide.ScopeTable)
        {
            foreach (var method in AccessRule.Methods)
            {
                var grade = RuleGrader.Grade(new AccessRule(method, path));
                Assert.Equal(scope, grade.Scope, ignoreCase: true);
                Assert.Equal(risk, grade.Level.Name(), ignoreCase: true);
                Assert.StartsWith(grade.Level.Recommendation(), recommendation, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void The_guides_own_rule_set_grades_minimal()
    {
        var rules = AccessRuleParser.FromCreateTokenUrl(KarpenterGuide.PrefilledUrl);
        var grade = RuleGrader.GradeSet(rules);
        Assert.Equal(RiskLevel.Minimal, grade.Level);
        Assert.Empty(grade.Notes);
    }
}
