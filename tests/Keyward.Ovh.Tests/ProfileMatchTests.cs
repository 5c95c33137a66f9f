using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests;

/// <summary>Whether a rule set is exactly a profile's rules for some ids and options, and which.</summary>
public sealed class ProfileMatchTests
{
    private static readonly Dictionary<string, string?> Cluster = new() { ["serviceName"] = "p1", ["kubeId"] = "k1" };

    [Fact]
    public void A_profiles_own_rules_match_with_their_ids_in_any_order()
    {
        var rules = BuiltInProfiles.Karpenter.Instantiate(Cluster, [], requireAll: true).Reverse().ToList();
        var match = BuiltInProfiles.Karpenter.Match(rules);
        Assert.NotNull(match);
        Assert.Equal("p1", match.Values["serviceName"]);
        Assert.Equal("k1", match.Values["kubeId"]);
        Assert.Empty(match.Options);
    }

    [Fact]
    public void An_option_is_found()
    {
        var rules = BuiltInProfiles.Karpenter.Instantiate(Cluster, ["node-deletion"], requireAll: true);
        Assert.Equal(["node-deletion"], BuiltInProfiles.Karpenter.Match(rules)!.Options);
    }

    [Fact]
    public void A_widened_subset_or_two_cluster_set_does_not_match()
    {
        var own = BuiltInProfiles.Karpenter.Instantiate(Cluster, [], requireAll: true);
        Assert.Null(BuiltInProfiles.Karpenter.Match([.. own, new AccessRule("DELETE", "/*")]));
        Assert.Null(BuiltInProfiles.Karpenter.Match(own.Skip(1).ToList()));
        Assert.Null(BuiltInProfiles.Karpenter.Match([new AccessRule("GET", "/*"), new AccessRule("DELETE", "/*")]));
        var other = BuiltInProfiles.Karpenter.Instantiate(new Dictionary<string, string?> { ["serviceName"] = "p1", ["kubeId"] = "k2" }, [], requireAll: true);
        Assert.Null(BuiltInProfiles.Karpenter.Match([.. own.Take(4), .. other.Skip(4)]));
    }

    [Fact]
    public void A_profiles_level_is_the_grade_of_its_rules()
    {
        Assert.Equal(RiskLevel.Minimal, BuiltInProfiles.Karpenter.Level);
        Assert.Equal(RiskLevel.Medium, BuiltInProfiles.ExternalDns.Level);
    }

    [Fact]
    public void A_set_is_recognised_as_the_built_in_profile_whose_rules_it_is_exactly()
    {
        var rules = BuiltInProfiles.ClusterAutoscaler.Instantiate(Cluster, ["autoprovisioning"], requireAll: true);
        var (profile, match) = BuiltInProfiles.Recognize(rules)!.Value;
        Assert.Same(BuiltInProfiles.ClusterAutoscaler, profile);
        Assert.Equal("k1", match.Values["kubeId"]);
        Assert.Equal(["autoprovisioning"], match.Options);
    }

    [Fact]
    public void A_set_that_is_no_profiles_is_not_recognised()
    {
        var own = BuiltInProfiles.Karpenter.Instantiate(Cluster, [], requireAll: true);
        Assert.Null(BuiltInProfiles.Recognize([.. own, new AccessRule("POST", "/cloud/project/p1/kube/k1/*")]));
        Assert.Null(BuiltInProfiles.Recognize([]));
    }
}
