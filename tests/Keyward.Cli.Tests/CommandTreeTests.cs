using Keyward.Cli.Tests.Support;

namespace Keyward.Cli.Tests;

/// <summary>keyward builds only the module of the command it runs; the table it picks from must match the modules.</summary>
public class CommandTreeTests
{
    private static CliConsole Console() => new() { Stdin = new MemoryStream(), Stdout = new MemoryStream(), Stderr = new StringWriter() };

    [Fact]
    public void Each_module_lists_exactly_the_commands_and_aliases_it_builds()
    {
        var full = KeywardApp.BuildRoot(Console());
        var listed = KeywardApp.ModuleNames.SelectMany(n => n).ToList();
        var built = full.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
        Assert.Equal(built.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        foreach (var names in KeywardApp.ModuleNames)
        {
            var root = KeywardApp.BuildRoot(Console(), names[0]);
            Assert.Equal(names.Order(StringComparer.Ordinal), root.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("--help")]
    public void Anything_else_builds_every_command(string first)
    {
        Assert.Equal(KeywardApp.ModuleNames.Sum(n => n.Length), KeywardApp.BuildRoot(Console(), first).Subcommands.Sum(c => c.Aliases.Count + 1));
    }

    [Fact]
    public void An_unknown_command_still_gets_the_full_usage_error()
    {
        var result = CliRunner.Run(["nonsense"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("keyward: error:", result.Stderr, StringComparison.Ordinal);
    }
}
