using Keyward.Core;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Rules;

namespace Keyward.Ovh.Tests;

/// <summary>
/// Paths with dot segments or encoded slashes reach whatever a layer that normalises them makes of them, which the
/// grader cannot know: they are refused wherever rules and calls are read, and graded critical if one gets through.
/// </summary>
public sealed class DotSegmentTests
{
    public static TheoryData<string> Dotted() =>
    [
        "/cloud/project/P/kube/K/../../../*",
        "/cloud/project/P/kube/K/..",
        "/cloud/project/P/kube/K/./nodepool",
        "/cloud/project/P/kube/K/%2e%2e/%2e%2e/*",
        "/cloud/project/P/kube/K/%2E%2E/x",
        "/cloud/project/P/kube/K/.%2e/x",
        "/cloud/project/P/kube/K/%2e./x",
        "/cloud/project/P/kube/K/%2e/x",
        "/cloud/project/P/kube/K%2f..%2f..%2f/*",
        "/cloud/project/P/kube/K%2F..%2F..%2F/*",
        "/cloud/project/P/kube/K/%252e%252e/x",
    ];

    [Theory]
    [MemberData(nameof(Dotted))]
    public void Rules_with_dot_segments_or_encoded_slashes_are_refused(string path)
    {
        var error = Assert.Throws<KeywardException>(() => AccessRule.Create("GET", path, "rule 1"));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.StartsWith("rule 1: the path", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Hint));
    }

    [Fact]
    public void A_create_token_url_with_encoded_dot_segments_is_refused()
    {
        Assert.Throws<KeywardException>(() => AccessRuleParser.FromCreateTokenUrl("https://eu.api.ovh.com/createToken/?GET=/cloud/project/P/kube/K/%2e%2e/%2e%2e/%2e%2e/*"));
        Assert.Throws<KeywardException>(() => AccessRuleParser.FromCreateTokenUrl("https://eu.api.ovh.com/createToken/?GET=/cloud/project/P/kube/K/%252e%252e/*"));
    }

    [Fact]
    public void Json_rules_with_dot_segments_are_refused() =>
        Assert.Throws<KeywardException>(() => AccessRuleParser.FromJson("""[{"method":"DELETE","path":"/cloud/project/P/kube/K/../../*"}]""", "r.json"));

    [Theory]
    [InlineData("/domain/zone/example.com/record")]
    [InlineData("/domain/zone/example.com./record")]
    [InlineData("/cloud/project/P/kube/K/.well-known")]
    [InlineData("/cloud/project/P/kube/K/.../x")]
    [InlineData("/me/api/credential/*")]
    public void Dots_inside_a_segment_are_fine(string path) => Assert.Equal(path, AccessRule.Create("GET", path, "rule").Path);

    [Theory]
    [MemberData(nameof(Dotted))]
    public void A_dotted_rule_that_gets_through_is_critical(string path)
    {
        var grade = RuleGrader.Grade(new AccessRule("GET", path));
        Assert.Equal(RiskLevel.Critical, grade.Level);
        Assert.Contains("normalis", grade.Reason, StringComparison.Ordinal);
    }
}
