using System.CommandLine;
using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests.Core;

/// <summary>
/// An empty path (<c>-o "$OUT"</c> with OUT unset) is a usage error naming the flag, in every command: it was
/// "internal error: ArgumentException: The value cannot be an empty string", exit 70, in every command that writes.
/// The commands are found by walking the command tree, so a new one is covered without a new test.
/// </summary>
public sealed class EmptyPathTests
{
    private static RootCommand Root() =>
        KeywardApp.BuildRoot(new CliConsole { Stdin = new MemoryStream(), Stdout = new MemoryStream(), Stderr = new StringWriter() });

    /// <summary>Every command with its words (<c>["age", "encrypt"]</c>).</summary>
    private static List<(string[] Path, Command Command)> Commands()
    {
        var all = new List<(string[], Command)>();
        var pending = new Stack<(string[] Path, Command Command)>();
        pending.Push(([], Root()));
        while (pending.TryPop(out var entry))
        {
            all.Add(entry);
            foreach (var sub in entry.Command.Subcommands)
                pending.Push(([.. entry.Path, sub.Name], sub));
        }
        return all;
    }

    private static bool Writes(Option option) => option.Name is "--output" || option.Name.StartsWith("--write-", StringComparison.Ordinal);

    private static void AssertUsageError(string[] args, string expectedError, string expectedHintStart)
    {
        var result = CliRunner.Run(args);
        var where = string.Join(' ', args.Select(a => a.Length == 0 ? "''" : a));
        Assert.True(result.ExitCode == 2, $"{where}: exit {result.ExitCode}: {result.Stderr}");
        Assert.DoesNotContain("internal error", result.Stderr, StringComparison.Ordinal);
        var lines = result.Stderr.ReplaceLineEndings("\n").Split('\n');
        Assert.True(lines[0] == $"keyward: error: {expectedError}", $"{where}: {lines[0]}");
        Assert.True(lines[1].StartsWith($"keyward: hint: {expectedHintStart}", StringComparison.Ordinal), $"{where}: {lines[1]}");
    }

    [Fact]
    public void Every_command_that_writes_a_file_refuses_an_empty_output_path_under_each_of_its_names()
    {
        var tested = new List<string>();
        foreach (var (path, command) in Commands())
        {
            foreach (var option in command.Options.Where(Writes))
            {
                foreach (var flag in option.Aliases.Prepend(option.Name))
                {
                    AssertUsageError([.. path, flag, ""], $"{flag}: the output path is empty", "give a file name");
                    tested.Add($"{string.Join(' ', path)} {flag}");
                }
            }
        }
        // The writers the fuzzing found, so the walk cannot pass by finding nothing.
        foreach (var writer in new[] { "age encrypt -o", "age decrypt -o", "age keygen -o", "encrypt --output", "decrypt -o", "rotate -o",
                     "seal -o", "unseal -o", "audit -o", "audit --write-baseline", "ovh secret -o", "ovh request -o" })
            Assert.Contains(writer, tested);
    }

    [Theory]
    [InlineData("seal")]
    [InlineData("unseal")]
    [InlineData("audit")]
    [InlineData("encrypt")]
    public void An_output_that_can_be_standard_output_offers_it(string command)
    {
        var result = CliRunner.Run([command, "-o", ""]);
        Assert.Contains("keyward: hint: give a file name, or - for standard output;", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_option_and_first_argument_that_takes_a_path_refuses_an_empty_one()
    {
        var tested = new List<string>();
        foreach (var (path, command) in Commands())
        {
            foreach (var option in command.Options.Where(o => !Writes(o) && EmptyPaths.NamesAPath(o)))
            {
                var flag = option.Name;
                AssertUsageError([.. path, flag, ""], $"{flag}: the path is empty", "give a path");
                tested.Add($"{string.Join(' ', path)} {flag}");
            }
            // Only the first argument: an empty word fills it, whatever comes after.
            if (command.Arguments.FirstOrDefault() is { } argument && EmptyPaths.NamesAPath(argument))
            {
                AssertUsageError([.. path, ""], $"the {argument.Name} argument is an empty path", "give a path");
                tested.Add($"{string.Join(' ', path)} {argument.Name}");
            }
        }
        foreach (var input in new[] { "seal --cert", "seal --key", "seal --identity", "seal --merge-into", "seal --from-file", "unseal --key",
                     "seal FILE", "unseal FILE", "age decrypt --identity", "age encrypt --recipients-file", "age encrypt --passphrase-file",
                     "age decrypt INPUT", "age keygen INPUT", "decrypt --identity", "decrypt --config", "encrypt --config", "set --value-file",
                     "decrypt FILE", "edit FILE", "git-diff FILE", "audit --config", "audit --baseline", "audit PATH", "ovh check --file", "ovh rotate FILE" })
            Assert.Contains(input, tested);
    }

    [Theory]
    [InlineData("--output=", "--output: the output path is empty")]
    [InlineData("-o=", "-o: the output path is empty")]
    [InlineData("--cert=", "--cert: the path is empty")]
    public void An_empty_value_after_an_equals_sign_does_not_take_the_next_word(string flag, string error)
    {
        // "--output=" reaches the parser as a bare --output, which took s.yaml for its value: with the Secret on
        // stdin, "seal --output=$OUT s.yaml" replaced s.yaml.
        using var dir = new TempDir();
        const string secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\nstringData: {password: hunter2}\n";
        File.WriteAllText(dir.File("s.yaml"), secret);
        var result = CliRunner.Run(["seal", "--cert", dir.File("cert.pem"), flag, dir.File("s.yaml")], System.Text.Encoding.UTF8.GetBytes(secret));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"keyward: error: {error}\n", result.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(secret, File.ReadAllText(dir.File("s.yaml")));
    }

    [Fact]
    public void An_empty_path_is_named_before_the_parse_errors_it_caused()
    {
        // ovh secret also requires --namespace: the empty -o is the mistake to report.
        AssertUsageError(["ovh", "secret", "-o", ""], "-o: the output path is empty", "give a file name");
    }

    [Fact]
    public void Help_is_still_shown_with_an_empty_path_on_the_line()
    {
        var result = CliRunner.Run(["seal", "-o", "", "--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--output", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_output_path_in_a_real_run_writes_nothing_and_names_the_flag()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("s.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\nstringData: {password: hunter2}\n");
        AssertUsageError(["audit", dir.File("s.yaml"), "--write-baseline", ""], "--write-baseline: the output path is empty", "give a file name;");
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
