using System.CommandLine;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>The top-level commands of the Ovh feature, registered by <see cref="KeywardApp"/>.</summary>
internal static class OvhCommands
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        return [];
    }
}
