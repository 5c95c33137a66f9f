using System.CommandLine;
using Keyward.Core;
using Keyward.Ovh.Api;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// Reads the application key, application secret and consumer key. The two secrets never come from argv: from a
/// file (<c>-</c> for stdin), the SDKs' environment variables, or a prompt without echo.
/// </summary>
internal sealed class OvhCredentialInput
{
    public Option<string?> ApplicationKey { get; } = new("--application-key") { Description = "Application key (not a secret); default $OVH_APPLICATION_KEY", HelpName = "AK" };

    public Option<string?> ApplicationSecretFile { get; } = new("--application-secret-file") { Description = "Read the application secret from FILE (\"-\" for stdin); default $OVH_APPLICATION_SECRET, then a prompt", HelpName = "FILE" };

    public Option<string?> ConsumerKeyFile { get; } = new("--consumer-key-file") { Description = "Read the consumer key from FILE (\"-\" for stdin); default $OVH_CONSUMER_KEY, then a prompt", HelpName = "FILE" };

    public void AddTo(Command command, bool consumerKey = true)
    {
        command.Options.Add(ApplicationKey);
        command.Options.Add(ApplicationSecretFile);
        if (consumerKey)
            command.Options.Add(ConsumerKeyFile);
    }

    public string ReadApplicationKey(CliConsole console, ParseResult parse)
    {
        if (Value(parse.GetValue(ApplicationKey)) is { } given)
            return Checked(given, "application key", "--application-key");
        if (Value(console.Environment("OVH_APPLICATION_KEY")) is { } set)
            return Checked(set, "application key", "OVH_APPLICATION_KEY");
        return Checked(Value(console.ReadSecret("OVH application key: "))
            ?? throw new KeywardException("no application key", "pass --application-key or set OVH_APPLICATION_KEY (create one at https://eu.api.ovh.com/createApp/)", FailureKind.Usage),
            "application key", "the prompt");
    }

    public string ReadApplicationSecret(CliConsole console, ParseResult parse) =>
        Read(console, parse.GetValue(ApplicationSecretFile), "OVH_APPLICATION_SECRET", "OVH application secret: ", "application secret", "--application-secret-file");

    public string ReadConsumerKey(CliConsole console, ParseResult parse) =>
        Read(console, parse.GetValue(ConsumerKeyFile), "OVH_CONSUMER_KEY", "OVH consumer key: ", "consumer key", "--consumer-key-file");

    public OvhCredentials ReadAll(CliConsole console, ParseResult parse)
    {
        if (parse.GetValue(ApplicationSecretFile) == "-" && parse.GetValue(ConsumerKeyFile) == "-")
            throw new KeywardException("only one of --application-secret-file and --consumer-key-file can read stdin", "put the other in a file or the environment", FailureKind.Usage);
        var key = ReadApplicationKey(console, parse);
        return new OvhCredentials(key, ReadApplicationSecret(console, parse), ReadConsumerKey(console, parse));
    }

    private static string Read(CliConsole console, string? file, string variable, string prompt, string what, string flag)
    {
        if (file is not null)
        {
            var text = OvhConsole.ReadText(console, file);
            var first = text.Split('\n')[0].Trim();
            return first.Length > 0 ? Checked(first, what, $"\"{file}\"") : throw new KeywardException($"the {what} file \"{file}\" is empty",
                $"put the {what} on the file's first line, or leave out {flag} to use {variable} or a prompt", FailureKind.Usage);
        }
        if (Value(console.Environment(variable)) is { } set)
            return Checked(set, what, variable);
        return Checked(Value(console.ReadSecret(prompt))
            ?? throw new KeywardException($"no {what}", $"pass {flag} FILE, set {variable}, or run in a terminal to be asked; it is never taken from the command line", FailureKind.Usage),
            what, "the prompt");
    }

    /// <summary>
    /// OVHcloud keys are printable ASCII. Anything else (an accented letter from a copy, a tab, a byte-order mark) would
    /// only fail later, inside the HTTP client, as a network fault; said here, naming where the key came from, not the key.
    /// </summary>
    private static string Checked(string key, string what, string source)
    {
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] is < '!' or > '~')
                throw new KeywardException($"the {what} from {source} holds a character no OVHcloud key has (at position {i + 1})",
                    $"copy the {what} again as plain text; keys are letters and digits", FailureKind.Usage);
        }
        return key;
    }

    private static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
