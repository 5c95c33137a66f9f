using Keyward.Age;
using Keyward.Core;

namespace Keyward.Cli;

/// <summary>Process exit codes. The one table; <see cref="ErrorReporter"/> is the one place that picks from it.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation failed: bad or tampered input, wrong key, findings at or above the threshold.</summary>
    public const int Failure = 1;

    /// <summary>Usage or input error: bad flags, missing files.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>A bug in keyward.</summary>
    public const int Internal = 70;
}

/// <summary>
/// Turns an exception into age-style lines on stderr (<c>keyward: error:</c>, then <c>keyward: hint:</c>) and an exit
/// code. Stack traces only with --debug. Messages never include secret values: keyward's and the age library's
/// never do, and the messages of other exceptions, which may quote the input they refused (a YAML or JSON parser's,
/// a number parser's), are printed only as <see cref="SafeMessage"/> makes them, even with --debug.
/// </summary>
public static class ErrorReporter
{
    public static int Report(Exception error, TextWriter stderr, bool debug)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(stderr);
        var (code, message, hint) = Classify(error);
        stderr.WriteLine($"keyward: error: {message}");
        if (!string.IsNullOrEmpty(hint))
            stderr.WriteLine($"keyward: hint: {hint}");
        if (debug)
            WriteDebug(error, stderr, "");
        else if (code == ExitCodes.Internal)
            stderr.WriteLine("keyward: hint: this is a bug in keyward; rerun with --debug and report the output");
        return code;
    }

    /// <summary>What to do about a key the age library refused without saying more (a malformed SSH key, say).</summary>
    private const string KeyHint = "check the key: identities are AGE-SECRET-KEY-1... lines or an SSH private key as ssh-keygen writes it, recipients age1... or an ssh-ed25519/ssh-rsa public key";

    /// <summary>What to do about an age file whose header or stanzas are malformed.</summary>
    private const string DamagedHint = "the file is damaged or was changed; check that it was copied whole (in binary mode), or encrypt it again";

    public static (int Code, string Message, string? Hint) Classify(Exception error) => error switch
    {
        KeywardException k => (k.Kind == FailureKind.Usage ? ExitCodes.Usage : ExitCodes.Failure, k.Message, k.Hint),
        AgeKeyException k => (ExitCodes.Usage, k.Message, k.Hint ?? KeyHint), // a malformed or unusable key or recipient given: an input error
        AgeException a => (ExitCodes.Failure, a.Message, a.Hint ?? DamagedHint),
        FileNotFoundException f => (ExitCodes.Usage, $"file not found: \"{f.FileName}\"", "check the path"),
        DirectoryNotFoundException d => (ExitCodes.Usage, KeywardException.Plain(d), "check the path"),
        // An input or output the user named that cannot be opened (no permission, or a folder where a file was
        // expected): like a missing file, a problem with what was asked, not a failed operation.
        UnauthorizedAccessException u => (ExitCodes.Usage, KeywardException.Plain(u), "check the path's permissions, and that it names a file, not a folder"),
        IOException io => (ExitCodes.Failure, "i/o error: " + KeywardException.Plain(io), "check the disk space, the path and its permissions"),
        OperationCanceledException => (ExitCodes.Interrupted, "interrupted", null),
        _ => (ExitCodes.Internal, $"internal error: {error.GetType().Name}: {SafeMessage(error)}", null),
    };

    /// <summary>
    /// What --debug adds: each exception of the chain (inner ones after <c>---&gt;</c>) with its type, its message as
    /// <see cref="SafeMessage"/> gives it, and its stack trace. Not <see cref="Exception.ToString"/>, which would print
    /// the inner exceptions' messages as they are.
    /// </summary>
    private static void WriteDebug(Exception error, TextWriter stderr, string prefix)
    {
        stderr.WriteLine($"{prefix}{error.GetType().FullName}: {SafeMessage(error)}");
        if (error.StackTrace is { } trace)
            stderr.WriteLine(trace);
        if (error is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions)
                WriteDebug(inner, stderr, " ---> ");
        }
        else if (error.InnerException is { } inner)
        {
            WriteDebug(inner, stderr, " ---> ");
        }
    }

    /// <summary>
    /// An exception's message fit to print. Keyward's and the age library's are written never to hold a secret. A
    /// YAML or JSON parser's quotes the text it stopped at, which in a Secret is the value: it becomes keyward's
    /// reason and the position. Any other may quote its input too ("the input string 'x' was not in a correct
    /// format"): its quoted spans are left out.
    /// </summary>
    public static string SafeMessage(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            KeywardException or AgeException => error.Message,
            IOException or UnauthorizedAccessException or OperationCanceledException => error.Message, // paths, not input
            System.Text.Json.JsonException j => ParserMessages.Json(j.Message)
                + (j.LineNumber is { } line ? $" (line {line + 1} byte {(j.BytePositionInLine ?? 0) + 1})" : ""),
            YamlDotNet.Core.YamlException y => ParserMessages.Yaml(y.Message) + $" (line {y.Start.Line} column {y.Start.Column})",
            _ when IsFrom(error, "YamlDotNet") || IsFrom(error, "System.Text.Json") => ParserMessages.Yaml(error.Message),
            _ => KeywardException.PlainWithoutQuotedText(error.Message),
        };
    }

    private static bool IsFrom(Exception error, string assembly) =>
        string.Equals(error.TargetSite?.DeclaringType?.Assembly.GetName().Name, assembly, StringComparison.Ordinal);
}
