using System.CommandLine;

namespace Keyward.Cli.Commands.Sops;

/// <summary>The top-level commands of the Sops feature, registered by <see cref="KeywardApp"/>.</summary>
internal static class SopsCommands
{
    public static IEnumerable<Command> Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        return
        [
            EncryptCommand.Create(console),
            DecryptCommand.Create(console),
            EditCommand.Create(console),
            SetCommands.CreateSet(console),
            SetCommands.CreateUnset(console),
            KeyCommands.CreateUpdateKeys(console),
            KeyCommands.CreateRotate(console),
            ExecCommands.CreateExecEnv(console),
            ExecCommands.CreateExecFile(console),
            GitDiffCommand.Create(console),
        ];
    }
}
