using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests;

/// <summary>Command lists in help bracket optional arguments, as each command's own usage line does, and stay aligned.</summary>
public class HelpListTests
{
    [Theory]
    [InlineData(new[] { "age", "--help" }, "keygen [<INPUT>]", "keygen <INPUT>")]
    [InlineData(new[] { "--help" }, "set <FILE> <PATH> [<VALUE>]", "edit [<FILE>]")]
    [InlineData(new[] { "ovh", "--help" }, "profiles [<PROFILE>]", "rotate [<FILE>]")]
    public void Optional_arguments_are_bracketed_and_required_ones_are_not(string[] args, string shown, string notShown)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(0, result.ExitCode);
        var rows = CommandRows(result.StdoutText);
        Assert.Contains(rows, r => r.StartsWith("  " + shown + "  ", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.StartsWith("  " + notShown + " ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("age", "--help")]
    [InlineData("ovh", "--help")]
    public void Every_description_starts_in_one_column(params string[] args)
    {
        var rows = CommandRows(CliRunner.Run(args).StdoutText);
        Assert.NotEmpty(rows);
        var columns = rows.Select(r => r.IndexOf("  ", 2, StringComparison.Ordinal) is var gap and >= 0 ? gap + r[gap..].TakeWhile(c => c == ' ').Count() : -1).Distinct().ToList();
        Assert.Single(columns);
    }

    /// <summary>The rows of the "Commands:" section that name a command (not a description's continuation).</summary>
    private static List<string> CommandRows(string help)
    {
        var lines = help.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        return lines.SkipWhile(l => l != "Commands:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Where(l => l.Length > 2 && l[2] != ' ').ToList();
    }
}
