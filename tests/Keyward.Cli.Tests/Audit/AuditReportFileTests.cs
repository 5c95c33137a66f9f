using System.Text;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Audit;

/// <summary>What the report file is like: its mode when it holds secrets, and warnings about where it goes.</summary>
public class AuditReportFileTests
{
    private const string Token = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";

    private static CliRunner.Result Audit(params string[] args) => CliRunner.Run(["audit", .. args]);

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("html")]
    [InlineData("text")]
    public void A_report_with_secrets_shown_is_private_even_over_a_readable_file(string format)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("src"));
        File.WriteAllText(dir.File("src/deploy.sh"), $"export GITHUB_TOKEN={Token}\n");
        var report = dir.File("report.out");
        File.WriteAllText(report, "");
        File.SetUnixFileMode(report, (UnixFileMode)0b110_100_100);
        Assert.Equal(1, Audit(dir.File("src"), "--format", format, "-o", report, "--show-secrets").ExitCode);
        Assert.Contains(Token, File.ReadAllText(report), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(report));

        // Masked, it keeps the file's mode: nothing in it needs hiding.
        Assert.Equal(1, Audit(dir.File("src"), "--format", format, "-o", report).ExitCode);
        File.SetUnixFileMode(report, (UnixFileMode)0b110_100_100);
        Assert.Equal(1, Audit(dir.File("src"), "--format", format, "-o", report).ExitCode);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(report));
    }

    [Fact]
    public void A_SARIF_report_over_code_scannings_limit_says_so()
    {
        using var dir = new TempDir();
        var text = new StringBuilder();
        var random = new Random(7);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 25_001; i++)
        {
            text.Append("T=ghp_");
            for (int j = 0; j < 36; j++)
                text.Append(alphabet[random.Next(alphabet.Length)]);
            text.Append('\n');
        }
        File.WriteAllText(dir.File("tokens.txt"), text.ToString());
        var over = Audit(dir.File("tokens.txt"), "--rule", "KW207", "--format", "sarif", "-o", dir.File("r.sarif"));
        Assert.Equal(1, over.ExitCode);
        Assert.Contains("25001 results: GitHub code scanning rejects", over.Stderr, StringComparison.Ordinal);
        var json = Audit(dir.File("tokens.txt"), "--rule", "KW207", "--format", "json", "-o", dir.File("r.json"));
        Assert.DoesNotContain("code scanning", json.Stderr, StringComparison.Ordinal);
    }
}
