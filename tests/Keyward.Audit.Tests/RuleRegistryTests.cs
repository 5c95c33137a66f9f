using Keyward.Audit;
using Keyward.Audit.Rules.Rbac;

namespace Keyward.Audit.Tests;

public class RuleRegistryTests
{
    [Fact]
    public void Duplicate_ids_are_rejected()
    {
        var registry = new RuleRegistry([new RbacWildcardRule()]);
        var e = Assert.Throws<InvalidOperationException>(() => registry.Add(new RbacWildcardRule()));
        Assert.Contains("duplicate rule id KW302", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_are_found_by_id_or_name_in_any_case()
    {
        Assert.Equal("KW303", RuleRegistry.BuiltIn.Find("secrets-read-access")?.Id);
        Assert.Equal("KW303", RuleRegistry.BuiltIn.Find("kw303")?.Id);
        Assert.Null(RuleRegistry.BuiltIn.Find("KW999"));
    }

    [Fact]
    public void Ids_and_names_follow_the_conventions()
    {
        foreach (var rule in RuleRegistry.BuiltIn.Rules)
        {
            Assert.Matches("^KW[0-9]{3}$", rule.Id);
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", rule.Name);
            Assert.EndsWith(".", rule.Fix, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(rule.Title));
        }
    }
}
