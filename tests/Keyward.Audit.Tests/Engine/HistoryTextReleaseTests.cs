using Keyward.Manifests;

namespace Keyward.Audit.Tests.Engine;

/// <summary>
/// The added lines of a commit cannot be read again, so once checked they are let go except for what a finding can
/// still ask for: the lines holding an inline ignore comment.
/// </summary>
public class HistoryTextReleaseTests
{
    private static readonly CommitInfo Commit = new("0123456789abcdef0123456789abcdef01234567", DateTimeOffset.UnixEpoch, "dev");

    [Fact]
    public void A_released_commit_text_keeps_only_its_ignore_comment_lines()
    {
        const string added = "token: one\n# keyward:ignore KW211\npassword: two\n";
        var text = new SourceText("app.env", added, Commit, lineNumbers: [10, 11, 12]);
        text.Release();
        Assert.Equal("# keyward:ignore KW211", text.FileLine(11));
        Assert.Null(text.FileLine(10));
        Assert.Null(text.FileLine(12));
        Assert.Throws<InvalidOperationException>(() => text.Text);
    }

    [Fact]
    public void Without_an_ignore_comment_nothing_of_a_commit_text_is_kept()
    {
        var text = new SourceText("app.env", "token: one\n", Commit);
        text.Release();
        Assert.Null(text.FileLine(1));
    }

    [Fact]
    public void A_text_of_no_commit_is_kept_whole()
    {
        var text = new SourceText("stdin.yaml", "a: 1\nb: 2\n");
        text.Release();
        Assert.Equal("b: 2", text.FileLine(2));
    }

    [Fact]
    public void An_inline_comment_in_history_still_suppresses_after_the_text_is_let_go()
    {
        // The engine releases every text once checked; suppressions are judged after all files, from kept lines.
        const string added = "export API_TOKEN=4f9d2c7be81a0e35c6d94b27f0a18e3c # keyward:ignore KW211\nexport SERVICE_TOKEN=4f9d2c7be81a0e35c6d94b27f0a18e3d\n";
        using var inputs = new AuditInputs();
        inputs.AddStream(() => [new SourceText("deploy.sh", added, Commit, lineNumbers: [3, 5])]);
        var result = new Auditor(RuleRegistry.BuiltIn).Run(inputs);
        var finding = Assert.Single(result.Findings, f => f.RuleId == "KW211");
        Assert.Equal(5, finding.Position.Line);
        Assert.Contains("SERVICE_TOKEN", finding.SourceLine, StringComparison.Ordinal);
        Assert.Equal(1, result.Stats.Suppressed.GetValueOrDefault(SuppressionKind.InlineComment));
    }
}
