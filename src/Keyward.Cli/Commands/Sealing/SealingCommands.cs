using System.CommandLine;

namespace Keyward.Cli.Commands.Sealing;

/// <summary>The top-level commands of the Sealing feature, registered by <see cref="KeywardApp"/>.</summary>
internal static class SealingCommands
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        return [SealCommand.Create(console), UnsealCommand.Create(console)];
    }
}
