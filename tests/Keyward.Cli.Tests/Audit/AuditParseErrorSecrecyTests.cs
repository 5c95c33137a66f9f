using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Audit;

/// <summary>
/// A file that does not parse has no finding that names its secrets, so nothing tells the reports what to mask on
/// its broken line: the parse-error finding (KW001) masks what could be a value itself, in every format, unless
/// --show-secrets. Its message names the place and the reason, never the text.
/// </summary>
public sealed class AuditParseErrorSecrecyTests
{
    private const string Marker = "LEAKMARKERpw9";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        string[] lines =
        [
            "  password: *LEAKMARKERpw9",          // an alias to no anchor
            "  password: \"LEAKMARKERpw9\\q\"",    // an unknown escape
            "  - *LEAKMARKERpw9",                  // no key on the line
            "  password: *LEAKMARKERpw9]",         // an alias followed by text
        ];
        foreach (var format in new[] { "text", "json", "sarif", "html" })
        {
            foreach (var line in lines)
                data.Add(format, line);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_password_on_a_broken_line_appears_in_no_report(string format, string line)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("s.yaml"), $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n{line}\n");
        var report = CliRunner.Run(["audit", "--fail-on", "none", "--format", format, dir.File("s.yaml")]);
        Assert.Equal(0, report.ExitCode);
        Assert.Contains("KW001", report.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, report.StdoutText + report.Stderr, StringComparison.OrdinalIgnoreCase);

        var written = CliRunner.Run(["audit", "--fail-on", "none", "--format", format, "-o", dir.File("report"), dir.File("s.yaml")]);
        Assert.Equal(0, written.ExitCode);
        Assert.DoesNotContain(Marker, File.ReadAllText(dir.File("report")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Show_secrets_shows_the_broken_line_as_it_is()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("s.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  password: *LEAKMARKERpw9\n");
        var report = CliRunner.Run(["audit", "--fail-on", "none", "--show-secrets", dir.File("s.yaml")]);
        Assert.Contains("password: *LEAKMARKERpw9", report.StdoutText, StringComparison.Ordinal);
        // The message stays without it: --show-secrets is about the excerpt.
        Assert.Contains("quote the value", report.StdoutText, StringComparison.Ordinal);
    }
}
