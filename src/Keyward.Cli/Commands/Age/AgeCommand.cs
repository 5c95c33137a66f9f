using System.CommandLine;

namespace Keyward.Cli.Commands.Age;

/// <summary><c>keyward age</c>: age-encryption.org/v1 files, flag for flag like age and age-keygen.</summary>
internal static class AgeCommand
{
    public static Command Create(CliConsole console)
    {
        var age = new Command("age", "Encrypt and decrypt age files (age-encryption.org/v1), compatible with age and age-keygen");
        age.Subcommands.Add(KeygenCommand.Create(console));
        age.Subcommands.Add(EncryptCommand.Create(console));
        age.Subcommands.Add(DecryptCommand.Create(console));
        return age;
    }
}
