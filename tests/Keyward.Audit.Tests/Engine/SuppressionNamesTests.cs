namespace Keyward.Audit.Tests.Engine;

/// <summary>Which rules a <c>keyward.io/ignore</c> value names: a list of rules, then an optional reason.</summary>
public class SuppressionNamesTests
{
    private static readonly Rule RunAsNonRoot = RuleRegistry.BuiltIn.Find("KW401")!;
    private static readonly Rule AllowPrivilegeEscalation = RuleRegistry.BuiltIn.Find("KW402")!;

    [Theory]
    [InlineData("KW401,KW402: legacy image (OPS-12)")]
    [InlineData("KW401, KW402: legacy image (OPS-12)")]
    [InlineData("KW401 , KW402 legacy image")]
    [InlineData("run-as-non-root, allow-privilege-escalation")]
    [InlineData("*: reviewed")]
    public void Every_rule_of_the_list_is_named_whatever_the_spaces(string annotation)
    {
        Assert.True(Suppressions.Names(annotation, RunAsNonRoot));
        Assert.True(Suppressions.Names(annotation, AllowPrivilegeEscalation));
    }

    [Theory]
    [InlineData("KW401 because KW402 is handled elsewhere")]
    [InlineData("KW401: KW402 stays")]
    public void A_rule_named_in_the_reason_is_not_suppressed(string annotation)
    {
        Assert.True(Suppressions.Names(annotation, RunAsNonRoot));
        Assert.False(Suppressions.Names(annotation, AllowPrivilegeEscalation));
    }
}
