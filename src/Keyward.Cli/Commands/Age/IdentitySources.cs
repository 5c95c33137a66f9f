using System.Text;
using Keyward.Age;
using Keyward.Age.Format;
using Keyward.Age.Keys;
using Keyward.Age.Recipients;
using Keyward.Core;

namespace Keyward.Cli.Commands.Age;

/// <summary>Loads identities and passphrases for the age commands: files, stdin, the terminal, encrypted identity files.</summary>
internal static class IdentitySources
{
    public static (string Text, string Source) ReadText(CliConsole console, string? path)
    {
        if (path is null or "-")
        {
            using var reader = new StreamReader(console.Stdin, Encoding.UTF8, leaveOpen: true);
            return (reader.ReadToEnd(), "standard input");
        }
        return (Encoding.UTF8.GetString(ReadFile(path, "identity file")), $"\"{path}\"");
    }

    public static byte[] ReadFile(string path, string what)
    {
        try
        {
            return InputFile.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeywardException($"{what} \"{path}\" does not exist", "check the path", FailureKind.Usage, e);
        }
    }

    public static List<IAgeIdentity> Load(CliConsole console, IEnumerable<string> paths, string? passphraseFile)
    {
        var identities = new List<IAgeIdentity>();
        foreach (var path in paths)
        {
            var bytes = path == "-" ? InputFile.ReadAll(console.Stdin, "standard input", Array.MaxLength, StdinTooLarge) : ReadFile(path, "identity file");
            var source = path == "-" ? "standard input" : $"\"{path}\"";
            if (IsAgeFile(bytes))
                bytes = DecryptIdentityFile(console, bytes, source, passphraseFile);
            identities.AddRange(AgeKeyFile.ParseIdentities(Encoding.UTF8.GetString(bytes), source));
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
        return identities;
    }

    /// <summary>An identity file that is itself age-encrypted with a passphrase, as age supports.</summary>
    private static byte[] DecryptIdentityFile(CliConsole console, byte[] encrypted, string source, string? passphraseFile)
    {
        var passphrase = Passphrases.Read(console, passphraseFile, $"Enter passphrase for identity file {source}: ", confirm: false);
        using var identity = new ScryptIdentity(passphrase);
        try
        {
            return AgeDecryptor.Decrypt(encrypted, [identity]);
        }
        catch (AgeNoIdentityMatchException e)
        {
            throw new KeywardException($"cannot decrypt identity file {source}: wrong passphrase, or it is not passphrase-encrypted", e.Hint, FailureKind.Failed, e);
        }
    }

    /// <summary>
    /// An age file, binary or armored. Only the age armor line counts: any other PEM block (a certificate, a public
    /// key, an SSH key with a damaged BEGIN line) goes to the identity parser, which names it, instead of asking for a
    /// passphrase for it. age 1.1.1 tells them apart by the same first line (leading whitespace, which the armor reader
    /// skips, is allowed here as it was before).
    /// </summary>
    private static bool IsAgeFile(byte[] bytes) =>
        bytes.AsSpan().StartsWith("age-encryption.org/v1\n"u8)
        || bytes.AsSpan().TrimStart(" \t\r\n\v\f"u8).StartsWith("-----BEGIN AGE ENCRYPTED FILE-----"u8);

    private const string StdinTooLarge = "an identity file is a few lines; check what is piped in";
}

/// <summary>
/// Used when decrypt gets no -i: asks for the passphrase only if the file has an scrypt stanza, so a file for
/// public keys fails with "no identity matched" instead of a pointless prompt.
/// </summary>
internal sealed class PromptingPassphraseIdentity(Func<string> getPassphrase) : IAgeIdentity
{
    public string StanzaType => "scrypt";

    public bool TryUnwrap(IReadOnlyList<AgeStanza> stanzas, Span<byte> fileKey)
    {
        if (!stanzas.Any(s => s.Type == "scrypt"))
            return false;
        using var identity = new ScryptIdentity(getPassphrase());
        return identity.TryUnwrap(stanzas, fileKey);
    }
}

internal static class Passphrases
{
    /// <summary>From --passphrase-file (first line), else the terminal without echo; never from argv.</summary>
    public static string Read(CliConsole console, string? passphraseFile, string prompt, bool confirm)
    {
        if (passphraseFile is not null)
        {
            string text;
            if (passphraseFile == "-")
            {
                text = new StreamReader(console.Stdin).ReadToEnd();
            }
            else
            {
                var bytes = IdentitySources.ReadFile(passphraseFile, "passphrase file");
                try
                {
                    text = Encoding.UTF8.GetString(bytes);
                }
                finally
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
                }
            }
            var line = text.Split('\n')[0].TrimEnd('\r');
            if (line.Length == 0)
                throw new KeywardException($"the passphrase file \"{passphraseFile}\" is empty", "write the passphrase on its first line", FailureKind.Usage);
            return line;
        }
        var first = console.ReadSecret(prompt) ?? throw new KeywardException("no terminal to ask for the passphrase",
            "pass --passphrase-file FILE for non-interactive use", FailureKind.Usage);
        if (first.Length == 0)
            throw new KeywardException("empty passphrase", "type a passphrase, or use public keys (-r) instead");
        if (confirm && console.ReadSecret("Confirm passphrase: ") != first)
            throw new KeywardException("passphrases didn't match", "try again");
        return first;
    }
}
