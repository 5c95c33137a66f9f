using System.CommandLine;
using Keyward.Age;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;
using Keyward.Core;

namespace Keyward.Cli.Commands.Age;

/// <summary><c>keyward age encrypt</c>: the flags of <c>age -e</c>.</summary>
internal static class EncryptCommand
{
    public static Command Create(CliConsole console)
    {
        var recipient = new Option<string[]>("--recipient", "-r") { Description = "Encrypt to RECIPIENT (age1... or an SSH public key); repeatable", HelpName = "RECIPIENT" };
        var recipientsFile = new Option<string[]>("--recipients-file", "-R") { Description = "Encrypt to the recipients listed in PATH; repeatable", HelpName = "PATH" };
        var identity = new Option<string[]>("--identity", "-i") { Description = "Encrypt to the recipients of the identities in PATH; repeatable", HelpName = "PATH" };
        var passphrase = new Option<bool>("--passphrase", "-p") { Description = "Encrypt with a passphrase (asked on the terminal, confirmed)" };
        var passphraseFile = new Option<string?>("--passphrase-file") { Description = "Read the passphrase from the first line of FILE instead of the terminal", HelpName = "FILE" };
        var armor = new Option<bool>("--armor", "-a") { Description = "Write PEM-armored text instead of binary" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to OUTPUT (atomically); \"-\" forces stdout", HelpName = "OUTPUT" };
        var input = new Argument<string?>("INPUT") { Description = "File to encrypt (default: stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("encrypt", "Encrypt INPUT to recipients or a passphrase")
        {
            recipient, recipientsFile, identity, passphrase, passphraseFile, armor, output, input,
        };
        command.SetAction(parse =>
        {
            AgeIo.RejectFlagAsInput(parse.GetValue(input));
            var recipients = Recipients(console, parse.GetValue(recipient) ?? [], parse.GetValue(recipientsFile) ?? [],
                parse.GetValue(identity) ?? [], parse.GetValue(passphrase) || parse.GetValue(passphraseFile) is not null, parse.GetValue(passphraseFile));
            var outputPath = parse.GetValue(output);
            bool armored = parse.GetValue(armor);
            if (!armored && outputPath is null && console.StdoutIsTerminal)
                throw new KeywardException("refusing to output binary to the terminal", "did you mean to use -a/--armor? force with \"-o -\"", FailureKind.Usage);

            var inputPath = parse.GetValue(input);
            using var source = AgeIo.OpenInput(console, inputPath);
            try
            {
                AgeIo.WriteOutput(console, outputPath, inputPath, sink =>
                    AgeEncryptor.Encrypt(source, sink, recipients, new AgeEncryptOptions { Armor = armored }), plaintext: false);
            }
            finally
            {
                foreach (var r in recipients)
                    (r as IDisposable)?.Dispose();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<IAgeRecipient> Recipients(CliConsole console, string[] recipients, string[] recipientFiles, string[] identityFiles,
        bool passphrase, string? passphraseFile)
    {
        if (passphrase && (recipients.Length > 0 || recipientFiles.Length > 0 || identityFiles.Length > 0))
            throw new KeywardException("-p/--passphrase can't be combined with -r, -R or -i", "a passphrase-encrypted file has exactly one recipient", FailureKind.Usage);
        if (passphrase)
            return [new ScryptRecipient(Passphrases.Read(console, passphraseFile, "Enter passphrase: ", confirm: true))];
        if (recipients.Length == 0 && recipientFiles.Length == 0 && identityFiles.Length == 0)
            throw new KeywardException("missing recipients", "did you forget to specify -r/--recipient, -R/--recipients-file or -p/--passphrase?", FailureKind.Usage);

        var list = new List<IAgeRecipient>();
        foreach (var r in recipients)
            list.Add(AgeKeyFile.ParseRecipient(r));
        foreach (var path in recipientFiles)
        {
            var (text, source) = IdentitySources.ReadText(console, path);
            var warnings = new List<string>();
            list.AddRange(AgeKeyFile.ParseRecipients(text, source, warnings));
            foreach (var w in warnings)
                console.Stderr.WriteLine($"keyward: warning: {w}");
        }
        foreach (var id in IdentitySources.Load(console, identityFiles, passphraseFile))
        {
            list.Add(AgeKeyFile.RecipientOf(id, "identity file"));
            (id as IDisposable)?.Dispose();
        }
        return list;
    }
}
