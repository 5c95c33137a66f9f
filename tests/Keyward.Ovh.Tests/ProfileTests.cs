using Keyward.Core;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests;

public sealed class ProfileTests
{
    private static readonly Dictionary<string, string?> Cluster = new() { ["serviceName"] = "p1", ["kubeId"] = "k1" };
    private static readonly Dictionary<string, string?> ZoneValues = new() { ["zone"] = "example.com" };

    public static TheoryData<string> ProfileNames() => [.. BuiltInProfiles.All.Select(p => p.Name)];

    private static Dictionary<string, string?> ValuesFor(OvhProfile profile) => profile.Parameters.Any(p => p.Name == "zone") ? ZoneValues : Cluster;

    [Theory]
    [MemberData(nameof(ProfileNames))]
    public void Every_call_is_allowed_by_the_rule_that_lists_it(string name)
    {
        var profile = BuiltInProfiles.Find(name)!;
        var values = ValuesFor(profile);
        var options = profile.Options.Select(o => o.Name).ToList();
        foreach (var rule in profile.RulesWith(options))
        {
            Assert.NotEmpty(rule.Calls);
            var concrete = new OvhProfile { Name = "one", Component = "", Source = "", Parameters = profile.Parameters, Rules = [rule] };
            var accessRule = concrete.Instantiate(values, [], requireAll: true).Single();
            foreach (var (call, method, path) in concrete.ConcreteCalls(values, []))
                Assert.True(accessRule.Allows(method, path), $"{name}: {accessRule} does not allow {call} ({path})");
        }
    }

    [Theory]
    [MemberData(nameof(ProfileNames))]
    public void No_rule_is_redundant(string name)
    {
        // The smallest set: dropping any rule leaves one of its calls not granted.
        var profile = BuiltInProfiles.Find(name)!;
        var rules = profile.Instantiate(ValuesFor(profile), [], requireAll: true);
        var calls = profile.ConcreteCalls(ValuesFor(profile), []);
        for (int i = 0; i < rules.Count; i++)
        {
            var without = rules.Where((_, j) => j != i).ToList();
            Assert.Contains(calls, c => !without.Any(r => r.Allows(c.Method, c.Path)));
        }
    }

    [Theory]
    [MemberData(nameof(ProfileNames))]
    public void Instantiated_profiles_are_graded_and_name_no_placeholder(string name)
    {
        var profile = BuiltInProfiles.Find(name)!;
        var rules = profile.Instantiate(ValuesFor(profile), [], requireAll: true);
        Assert.All(rules, r => Assert.DoesNotContain("{", r.Path, StringComparison.Ordinal));
        var expected = name == "external-dns" ? RiskLevel.Medium : RiskLevel.Minimal;
        Assert.Equal(expected, RuleGrader.GradeSet(rules).Level);
    }

    [Fact]
    public void Node_deletion_is_not_granted_by_the_guides_rules_and_is_an_option()
    {
        var profile = BuiltInProfiles.Karpenter;
        var guideRules = profile.Instantiate(Cluster, [], requireAll: true);
        Assert.DoesNotContain(guideRules, r => r.Allows("DELETE", "/cloud/project/p1/kube/k1/node/n1"));
        var withOption = profile.Instantiate(Cluster, ["node-deletion"], requireAll: true);
        Assert.Equal(9, withOption.Count);
        Assert.Contains(withOption, r => r.Allows("DELETE", "/cloud/project/p1/kube/k1/node/n1"));
        Assert.Contains("falling back to scale down", profile.Options.Single().Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("p1/*")]
    [InlineData("../x")]
    [InlineData("a b")]
    public void Ids_that_would_widen_the_rules_are_refused(string serviceName)
    {
        var values = new Dictionary<string, string?> { ["serviceName"] = serviceName, ["kubeId"] = "k1" };
        var error = Assert.Throws<KeywardException>(() => BuiltInProfiles.Karpenter.Instantiate(values, [], requireAll: true));
        Assert.Contains("--service-name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_ids_are_an_error_when_all_are_required()
    {
        var error = Assert.Throws<KeywardException>(() => BuiltInProfiles.Karpenter.Instantiate(new Dictionary<string, string?> { ["serviceName"] = "p1" }, [], requireAll: true));
        Assert.Contains("--kube-id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_options_are_refused_with_the_list()
    {
        var error = Assert.Throws<KeywardException>(() => BuiltInProfiles.Karpenter.Instantiate(Cluster, ["nope"], requireAll: true));
        Assert.Contains("node-deletion", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_lists_calls_that_will_fail_and_rules_that_grant_too_much()
    {
        var granted = AccessRuleParser.FromArguments([
            "GET /cloud/project/p1/kube/k1", "GET /cloud/project/p1/kube/k1/nodepool/*", "POST /cloud/project/p1/kube/k1/nodepool",
            "PUT /cloud/project/p1/kube/k1/nodepool/*", "DELETE /cloud/project/p1/kube/k1/nodepool/*", "GET /cloud/project/p1/kube/k1/flavors",
            "GET /cloud/project/p1/capabilities/kube/*", "GET /cloud/project/p1/instance/*", "DELETE /cloud/project/p1/kube/k1/node/*",
        ]);
        var diff = ProfileDiff.Compare(BuiltInProfiles.Karpenter, Cluster, [], granted);
        // The classic mistake: /nodepool/* without /nodepool, so listing pools fails.
        Assert.Equal(["GET /cloud/project/p1/kube/k1/nodepool"], diff.Missing.Select(m => $"{m.Method} {m.Path}"));
        Assert.Equal(["GET /cloud/project/p1/instance/*", "DELETE /cloud/project/p1/kube/k1/node/*"], diff.Excess.Select(e => e.Rule.ToString()));
        Assert.Equal(RiskLevel.High, diff.Excess[0].Grade.Level);
        Assert.DoesNotContain(ProfileDiff.Compare(BuiltInProfiles.Karpenter, Cluster, ["node-deletion"], granted).Excess, e => e.Rule.Path.EndsWith("/node/*", StringComparison.Ordinal));
    }

    [Fact]
    public void The_profiles_own_rules_diff_to_nothing()
    {
        foreach (var profile in BuiltInProfiles.All)
        {
            var values = ValuesFor(profile);
            var diff = ProfileDiff.Compare(profile, values, [], profile.Instantiate(values, [], requireAll: true));
            Assert.True(diff.Exact, profile.Name);
        }
    }

    [Fact]
    public void Calls_with_a_query_are_checked_without_it()
    {
        var diff = ProfileDiff.Compare(BuiltInProfiles.CertManagerDns01, ZoneValues, [],
            AccessRuleParser.FromArguments(["GET /domain/zone/*", "PUT /domain/zone/*", "POST /domain/zone/*", "DELETE /domain/zone/*"]));
        Assert.Empty(diff.Missing);
        Assert.Equal(4, diff.Excess.Count);
        Assert.All(diff.Excess, e => Assert.Equal(RiskLevel.High, e.Grade.Level));
    }
}
