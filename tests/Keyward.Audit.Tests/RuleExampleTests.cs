using Keyward.Audit;

namespace Keyward.Audit.Tests;

/// <summary>Every rule's own examples: failing ones must produce a finding of that rule, passing ones none.</summary>
public class RuleExampleTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var rule in RuleRegistry.BuiltIn.Rules)
        {
            for (int i = 0; i < rule.Examples.Count; i++)
                data.Add(rule.Id, i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_behaves_as_documented(string ruleId, int index)
    {
        var rule = RuleRegistry.BuiltIn.Find(ruleId)!;
        var example = rule.Examples[index];
        var result = AuditHarness.RunRule(rule, example.FileName, example.Source);
        var findings = result.Findings.Where(f => f.RuleId == ruleId).ToList();
        if (example.ShouldFail)
            Assert.True(findings.Count > 0, $"{ruleId} \"{example.Description}\" should fail but produced no finding");
        else
            Assert.True(findings.Count == 0, $"{ruleId} \"{example.Description}\" should pass but produced: {string.Join("; ", findings.Select(f => f.Message))}");
    }

    [Fact]
    public void Every_rule_has_a_failing_and_a_passing_example()
    {
        foreach (var rule in RuleRegistry.BuiltIn.Rules)
        {
            Assert.True(rule.Examples.Any(e => e.ShouldFail), $"{rule.Id} has no failing example");
            Assert.True(rule.Examples.Any(e => !e.ShouldFail), $"{rule.Id} has no passing example");
        }
    }

    [Fact]
    public void Every_category_has_rules()
    {
        foreach (var category in Enum.GetValues<Category>())
            Assert.Contains(RuleRegistry.BuiltIn.Rules, r => r.Category == category);
    }

    [Fact]
    public void Findings_carry_the_rule_metadata_and_a_position()
    {
        var rule = RuleRegistry.BuiltIn.Find("KW404")!;
        var result = AuditHarness.RunRule(rule, "pod.yaml", rule.Examples[0].Source);
        var f = Assert.Single(result.Findings);
        Assert.Equal(Category.WorkloadSecurity, f.Category);
        Assert.Equal(Severity.Critical, f.Severity);
        Assert.Equal("spec.containers[0].securityContext.privileged", f.FieldPath);
        Assert.Equal("Pod", f.Resource?.Kind);
        Assert.Equal(rule.Fix, f.Remediation);
        var line = rule.Examples[0].Source.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains("privileged: true", StringComparison.Ordinal)).i + 1;
        Assert.Equal(line, f.Position.Line);
        Assert.Equal(21, f.Position.Column);
    }
}
