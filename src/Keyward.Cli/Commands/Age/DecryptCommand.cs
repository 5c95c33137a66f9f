using System.CommandLine;
using Keyward.Age;
using Keyward.Age.Recipients;

namespace Keyward.Cli.Commands.Age;

/// <summary><c>keyward age decrypt</c>: the flags of <c>age -d</c>.</summary>
internal static class DecryptCommand
{
    public static Command Create(CliConsole console)
    {
        var identity = new Option<string[]>("--identity", "-i") { Description = "Use the identity file at PATH (age keys, SSH key, or a passphrase-encrypted identity file); repeatable", HelpName = "PATH" };
        var passphraseFile = new Option<string?>("--passphrase-file") { Description = "Read the passphrase from the first line of FILE instead of the terminal", HelpName = "FILE" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to OUTPUT; it appears only if the whole file decrypts", HelpName = "OUTPUT" };
        var input = new Argument<string?>("INPUT") { Description = "File to decrypt, binary or armored (default: stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("decrypt", "Decrypt INPUT with identities or a passphrase") { identity, passphraseFile, output, input };
        command.SetAction(parse =>
        {
            AgeIo.RejectFlagAsInput(parse.GetValue(input));
            var identityPaths = parse.GetValue(identity) ?? [];
            var passphrasePath = parse.GetValue(passphraseFile);
            var inputPath = parse.GetValue(input);
            if (identityPaths.Contains("-") && (inputPath is null or "-"))
                throw new Keyward.Core.KeywardException("stdin can't be both the identity file and the input", "pass the input as a file", Keyward.Core.FailureKind.Usage);
            List<IAgeIdentity> identities = identityPaths.Length > 0
                ? IdentitySources.Load(console, identityPaths, passphrasePath)
                : [new PromptingPassphraseIdentity(() => Passphrases.Read(console, passphrasePath, "Enter passphrase: ", confirm: false))];
            try
            {
                using var source = AgeIo.OpenInput(console, inputPath);
                AgeIo.WriteOutput(console, parse.GetValue(output), inputPath, sink => AgeDecryptor.Decrypt(source, sink, identities), plaintext: true);
            }
            catch (AgeNoIdentityMatchException e) when (identityPaths.Length == 0 && !e.StanzaTypes.Contains("scrypt"))
            {
                // Without -i only a passphrase is tried, and this file asks for none.
                var types = string.Join(", ", e.StanzaTypes.Distinct(StringComparer.Ordinal));
                throw new Keyward.Core.KeywardException($"no identity given: the file is for {types} recipients, not for a passphrase",
                    "pass the identity file with -i KEYFILE (an age key file, or the SSH private key it was encrypted to)", Keyward.Core.FailureKind.Usage, e);
            }
            finally
            {
                foreach (var id in identities)
                    (id as IDisposable)?.Dispose();
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
