namespace Keyward.Cli.Tests;

/// <summary>
/// One name for one thing across the command families: where a command takes an output file it is -o/--output, a
/// format is -f/--format. (-i stays each family's reference tool's: --identity in age, --in-place in sops.)
/// </summary>
public class FlagConsistencyTests
{
    [Theory]
    [InlineData("--output", "-o")]
    [InlineData("--format", "-f")]
    public void Every_command_with_the_flag_has_its_short_form(string name, string alias)
    {
        var console = new CliConsole { Stdin = new MemoryStream(), Stdout = new MemoryStream(), Stderr = new StringWriter() };
        var missing = new List<string>();
        var commands = new Stack<(string Path, System.CommandLine.Command Command)>();
        commands.Push(("keyward", KeywardApp.BuildRoot(console)));
        while (commands.TryPop(out var entry))
        {
            foreach (var sub in entry.Command.Subcommands)
                commands.Push(($"{entry.Path} {sub.Name}", sub));
            var option = entry.Command.Options.FirstOrDefault(o => o.Name == name);
            if (option is not null && !option.Aliases.Contains(alias))
                missing.Add(entry.Path);
        }
        Assert.Empty(missing);
    }
}
