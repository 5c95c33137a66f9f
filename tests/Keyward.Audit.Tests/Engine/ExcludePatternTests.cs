using Keyward.Core;

namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// <c>exclude</c> and ignore <c>path</c> patterns read as .gitignore's: a leading <c>/</c> or a slash inside anchors
/// the pattern at the config file's folder, a pattern with no slash matches at any depth, <c>./</c> is the folder itself.
/// Paths reach the matcher as the reports show them, relative to the folder the audit runs in.
/// </summary>
public class ExcludePatternTests
{
    private const string Repo = "/repo";

    private static AuditConfig Config(string pattern) =>
        AuditConfig.Parse($"exclude: [\"{pattern}\"]\nignore:\n  - path: \"{pattern}\"\n", Repo + "/.keyward.yaml", RuleRegistry.BuiltIn);

    /// <summary>Whether the exclude and the ignore path (which must agree) match a file shown as <paramref name="shown"/>.</summary>
    private static bool Excluded(string pattern, string shown, string runIn = Repo)
    {
        var config = Config(pattern);
        bool excluded = config.IsExcluded(shown, runIn);
        Assert.Equal(excluded, config.Ignores[0].Path!.IsMatch(shown, runIn));
        return excluded;
    }

    [Theory]
    [InlineData("/docs/**")]
    [InlineData("docs/**")]
    [InlineData("./docs/**")]
    [InlineData("/docs")]
    [InlineData("/docs/")]
    public void A_leading_slash_or_a_slash_inside_anchors_the_pattern_at_the_config_folder(string pattern)
    {
        Assert.True(Excluded(pattern, "docs/runbook.env"));
        Assert.True(Excluded(pattern, "docs/ops/runbook.env"));
        Assert.False(Excluded(pattern, "apps/payments/docs/runbook.env"));
        Assert.False(Excluded(pattern, "docs.env"));
    }

    [Theory]
    [InlineData("docs")]
    [InlineData("docs/")]
    [InlineData("**/docs/**")]
    public void A_pattern_with_no_slash_but_a_trailing_one_matches_at_any_depth(string pattern)
    {
        Assert.True(Excluded(pattern, "docs/runbook.env"));
        Assert.True(Excluded(pattern, "apps/payments/docs/runbook.env"));
        Assert.False(Excluded(pattern, "apps/docs.env"));
    }

    [Fact]
    public void Stars_stay_within_a_folder_and_double_stars_cross_folders()
    {
        Assert.True(Excluded("*.env", "apps/web/creds.env"));
        Assert.True(Excluded("charts/*/tests/**", "charts/web/tests/secret.yaml"));
        Assert.False(Excluded("charts/*/tests/**", "charts/web/sub/tests/secret.yaml"));
        Assert.False(Excluded("charts/*/tests/**", "vendor/charts/web/tests/secret.yaml"));
        Assert.True(Excluded("charts/**/tests/*.yaml", "charts/web/sub/tests/secret.yaml"));
        Assert.True(Excluded("vendor/**", "vendor/a/b.yaml"));
        Assert.False(Excluded("vendor/**", "apps/vendor/b.yaml"));
        Assert.True(Excluded("te?t.env", "sub/test.env"));
        Assert.False(Excluded("te?t.env", "sub/te/t.env"));
    }

    [Fact]
    public void Patterns_are_anchored_at_the_config_folder_whatever_folder_the_audit_runs_in()
    {
        // Run from /repo/apps: "payments/docs/x.env" is /repo/apps/payments/docs/x.env, "../docs/x.env" is /repo/docs/x.env.
        Assert.False(Excluded("/docs/**", "payments/docs/x.env", runIn: Repo + "/apps"));
        Assert.True(Excluded("/docs/**", "../docs/x.env", runIn: Repo + "/apps"));
        Assert.True(Excluded("/docs/**", Repo + "/docs/x.env", runIn: "/elsewhere"));
        // Outside the config's folder an anchored pattern names nothing; a pattern with no slash still matches names.
        Assert.False(Excluded("docs/**", "/other/docs/x.env"));
        Assert.True(Excluded("*.env", "/other/docs/x.env"));
    }

    [Fact]
    public void Names_that_are_no_paths_are_never_excluded()
    {
        Assert.False(Excluded("*", "<stdin>"));
        Assert.True(Excluded("apps/**", "apps/web/(kustomize build)"));
    }

    [Theory]
    [InlineData("!docs/keep.env")]
    [InlineData("./")]
    [InlineData("/")]
    public void A_pattern_that_cannot_mean_what_it_says_is_an_error(string pattern)
    {
        var error = Assert.Throws<KeywardException>(() => AuditConfig.Parse($"exclude: [\"{pattern}\"]\n", "cfg.yaml", RuleRegistry.BuiltIn));
        Assert.StartsWith("\"cfg.yaml\" line 1 column 11: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, error.Kind);
    }
}
