using System.CommandLine;

namespace Keyward.Cli.Commands.Audit;

/// <summary>The top-level commands of the Audit feature, registered by <see cref="KeywardApp"/>.</summary>
internal static class AuditCommands
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        return [AuditCommand.Create(console)];
    }
}
