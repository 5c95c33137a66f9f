using System.CommandLine;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>The top-level commands of the Ovh feature, registered by <see cref="KeywardApp"/>.</summary>
internal static class OvhCommands
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var ovh = new Command("ovh", "Least-privilege OVHcloud API credentials: build, check, request, store and rotate them");
        ovh.Subcommands.Add(ProfilesCommand.Create(console));
        ovh.Subcommands.Add(RulesCommand.Create(console));
        ovh.Subcommands.Add(CheckCommand.Create(console));
        ovh.Subcommands.Add(AllowsCommand.Create(console));
        ovh.Subcommands.Add(DiffCommand.Create(console));
        ovh.Subcommands.Add(RequestCommand.Create(console));
        ovh.Subcommands.Add(InspectCommand.Create(console));
        ovh.Subcommands.Add(SecretCommand.Create(console));
        ovh.Subcommands.Add(RotateCommand.Create(console));
        return [ovh];
    }
}
