using Keyward.Core;

namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// .keyward.yaml is read strictly: a typo or a misplaced value is an error at its line, never a setting dropped in
/// silence (an ignore entry whose keys were all misspelt suppressed every finding).
/// </summary>
public class AuditConfigStructureTests
{
    private static KeywardException Refused(string yaml)
    {
        var error = Assert.Throws<KeywardException>(() => AuditConfig.Parse(yaml, "cfg.yaml", RuleRegistry.BuiltIn));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.NotNull(error.Hint);
        return error;
    }

    [Fact]
    public void An_unknown_key_in_an_ignore_entry_is_an_error_at_its_line_and_column()
    {
        var error = Refused("ignore:\n  - rules: KW209\n    reason: tokens in tests\n");
        Assert.Equal("\"cfg.yaml\" line 2 column 5: unknown setting \"rules\" in an ignore entry", error.Message);
        Assert.Contains("rule, path, object and reason", error.Hint, StringComparison.Ordinal);
        var misspelt = Refused("ignore:\n  - rule: KW207\n    objet: Secret/ci/x\n");
        Assert.Equal("\"cfg.yaml\" line 3 column 5: unknown setting \"objet\" in an ignore entry", misspelt.Message);
    }

    [Theory]
    [InlineData("ignore:\n  - reason: \"TODO: decide later\"\n")]
    [InlineData("ignore:\n  - {}\n")]
    public void An_ignore_entry_that_names_no_rule_path_or_object_is_an_error(string yaml)
    {
        var error = Refused(yaml);
        Assert.StartsWith("\"cfg.yaml\" line 2 column ", error.Message, StringComparison.Ordinal);
        Assert.Contains("names no rule, path or object", error.Message, StringComparison.Ordinal);
        Assert.Contains("rules: {KW209: off}", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_rule_path_or_object_is_an_error_not_a_wildcard()
    {
        var error = Refused("ignore:\n  - rule:\n    path: charts/**\n");
        Assert.Equal("\"cfg.yaml\" line 2 column 5: \"rule\" of an ignore entry is empty", error.Message);
        Assert.Contains("line 3 column 5: \"path\" of an ignore entry is empty", Refused("ignore:\n  - rule: KW207\n    path: \"\"\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ignore_entry_that_is_not_a_mapping_is_an_error()
    {
        var error = Refused("ignore:\n  - KW209\n");
        Assert.Equal("\"cfg.yaml\" line 2 column 5: an ignore entry is a mapping of rule, path, object and reason, not a single value", error.Message);
        Assert.Contains("- rule: KW209", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ignore:\n  - rule: [KW209, KW207]\n    path: tests/**\n", 2, 11, "\"rule\"")]
    [InlineData("ignore:\n  - rule: KW209\n    path: {a: b}\n", 3, 11, "\"path\"")]
    [InlineData("rules: [KW209]\n", 1, 8, "\"rules\"")]
    [InlineData("rules:\n  KW209: [off]\n", 2, 10, "KW209")]
    [InlineData("exclude: [[a]]\n", 1, 11, "exclude")]
    [InlineData("exclude: [\"\"]\n", 1, 11, "exclude")]
    [InlineData("allowlist: [{a: b}]\n", 1, 13, "allowlist")]
    public void A_value_of_the_wrong_shape_is_an_error_at_its_position(string yaml, int line, int column, string named)
    {
        var error = Refused(yaml);
        Assert.StartsWith($"\"cfg.yaml\" line {line} column {column}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Well_formed_entries_and_empty_sections_still_parse()
    {
        var config = AuditConfig.Parse(
            "rules:\n  KW602: off\nexclude:\nallowlist: []\nignore:\n  - rule: KW401\n    object: Deployment/monitoring/node-exporter\n    reason: node agent\n  - path: \"charts/**\"\n",
            "cfg.yaml", RuleRegistry.BuiltIn);
        Assert.Equal(2, config.Ignores.Count);
        Assert.Equal("KW401", config.Ignores[0].Rule);
        Assert.NotNull(config.Ignores[1].Path);
        Assert.False(config.Enabled["KW602"]);
    }
}
