namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// Which rules run: the config turns rules off, and <c>--rule</c> names the ones a run is about. The command line
/// wins for the rules it names (a run of one rule that checks nothing, in silence, helps nobody); a category does
/// not name rules, so a rule the config turned off stays off within it.
/// </summary>
public class RuleSelectionTests
{
    private const string Script = "export GITHUB_TOKEN=ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d\n";

    private static AuditConfig Off(string rule) => AuditConfig.Parse($"rules:\n  {rule}: off\n", "cfg.yaml", RuleRegistry.BuiltIn);

    [Theory]
    [InlineData("KW207")]
    [InlineData("github-token")]
    [InlineData("kw207")]
    public void A_rule_named_on_the_command_line_runs_even_when_the_config_turns_it_off(string named)
    {
        var result = AuditHarness.Run("deploy.sh", Script, new AuditOptions { Config = Off("KW207"), OnlyRules = [named] });
        Assert.Equal("KW207", Assert.Single(result.Findings).RuleId);
        Assert.Contains("KW207 is off in the config; it runs because --rule names it", result.Stats.Notices);
    }

    [Fact]
    public void Without_rule_names_a_rule_the_config_turns_off_does_not_run_not_even_in_a_category_asked_for()
    {
        Assert.DoesNotContain(AuditHarness.Run("deploy.sh", Script, new AuditOptions { Config = Off("KW207") }).Findings, f => f.RuleId == "KW207");
        var category = AuditHarness.Run("deploy.sh", Script, new AuditOptions { Config = Off("KW207"), OnlyCategories = [Category.Credentials] });
        Assert.DoesNotContain(category.Findings, f => f.RuleId == "KW207");
        Assert.Empty(category.Stats.Notices);
    }
}
