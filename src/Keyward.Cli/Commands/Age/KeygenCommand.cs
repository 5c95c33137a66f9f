using System.CommandLine;
using System.Globalization;
using System.Text;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;
using Keyward.Core;

namespace Keyward.Cli.Commands.Age;

/// <summary><c>keyward age keygen [-o FILE]</c> and <c>keyward age keygen -y [FILE]</c>, in age-keygen's layout.</summary>
internal static class KeygenCommand
{
    public static Command Create(CliConsole console)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the identity to FILE (mode 0600; an existing file is never overwritten)", HelpName = "FILE" };
        var convert = new Option<bool>("-y") { Description = "Print the recipients (public keys) of an identity file" };
        var input = new Argument<string?>("INPUT") { Description = "With -y: the identity file (default: stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("keygen", "Generate an X25519 identity, or convert identities to recipients with -y") { output, convert, input };
        command.SetAction(parse =>
        {
            if (parse.GetValue(convert))
                return PrintRecipients(console, parse.GetValue(input), parse.GetValue(output));
            if (parse.GetValue(input) is not null)
                throw new KeywardException("keygen takes no input file", "to convert an identity file to recipients use -y", FailureKind.Usage);
            return Generate(console, parse.GetValue(output));
        });
        return command;
    }

    private static int Generate(CliConsole console, string? outputPath)
    {
        using var identity = X25519Identity.Generate();
        var publicKey = identity.Recipient.ToString();
        var created = console.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var secret = identity.ExportSecretKey();
        var text = $"# created: {created}\n# public key: {publicKey}\n{secret}\n";
        var bytes = Encoding.ASCII.GetBytes(text);
        try
        {
            if (outputPath is null || outputPath == "-")
            {
                if (!console.StdoutIsTerminal)
                    console.Stderr.WriteLine($"Public key: {publicKey}");
                console.Stdout.Write(bytes);
                console.Stdout.Flush();
            }
            else
            {
                AtomicFile.WriteAllBytes(outputPath, bytes, AtomicWriteOptions.Private with { Overwrite = false });
                console.Stderr.WriteLine($"Public key: {publicKey}");
            }
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
        return ExitCodes.Success;
    }

    private static int PrintRecipients(CliConsole console, string? inputPath, string? outputPath)
    {
        var (text, source) = IdentitySources.ReadText(console, inputPath);
        var identities = AgeKeyFile.ParseIdentities(text, source);
        var lines = new StringBuilder();
        foreach (var identity in identities)
        {
            lines.Append(AgeKeyFile.RecipientOf(identity, source)).Append('\n');
            (identity as IDisposable)?.Dispose();
        }
        var bytes = Encoding.ASCII.GetBytes(lines.ToString());
        if (outputPath is null || outputPath == "-")
            console.Stdout.Write(bytes);
        else
            AtomicFile.WriteAllBytes(outputPath, bytes);
        return ExitCodes.Success;
    }
}
