using System.CommandLine;
using System.CommandLine.Parsing;
using Keyward.Core;

namespace Keyward.Cli;

/// <summary>
/// Refuses an empty path on the command line, for every command at once: <c>-o "$OUT"</c> with OUT unset gives
/// <c>-o ''</c>, which the file APIs reject with an ArgumentException (once reported as an internal error, exit 70).
/// Checked after parsing, before the command runs and before other parse errors: an empty value is the likely cause
/// of those too (it took the place of the next argument).
/// </summary>
internal static class EmptyPaths
{
    /// <summary>
    /// How options that take a path name their value in the help (<c>--cert &lt;CERT.pem&gt;</c>): the help is the
    /// one place each option already says what it takes, so a new option is covered when its help is written.
    /// PATH is also the name of a sops tree path (<c>--extract</c>, <c>set FILE PATH</c>); an empty one of those is no
    /// more usable, and the words below fit both.
    /// </summary>
    private static readonly HashSet<string> PathValueNames = new(StringComparer.Ordinal)
    {
        "FILE", "OUTPUT", "INPUT", "PATH", "DIR", "CERT.pem", "KEY.pem", "SEALED.yaml",
    };

    /// <summary>Options that name a file to write: their error says "output" and, when they take "-", offers it.</summary>
    private static bool Writes(Option option) => option.Name is "--output" || option.Name.StartsWith("--write-", StringComparison.Ordinal);

    public static bool NamesAPath(Symbol symbol) => symbol switch
    {
        Option option => option.HelpName is { } help && PathValueNames.Contains(help),
        Argument argument => PathValueNames.Contains(argument.Name),
        _ => false,
    };

    /// <summary>
    /// Throws a usage error for the first empty path given to the command <paramref name="parse"/> chose.
    /// <paramref name="args"/> are the words it parsed: <c>--output=</c> reaches the parser as a bare <c>--output</c>,
    /// which takes the next word for its value (<c>seal --output=$OUT s.yaml</c> replaced s.yaml), so it is looked
    /// for in them.
    /// </summary>
    public static void Refuse(ParseResult parse, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(args);
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (arg.Length > 2 && arg[0] == '-' && arg[^1] == '=' && parse.CommandResult.Command.Options.FirstOrDefault(o => o.Name == arg[..^1] || o.Aliases.Contains(arg[..^1])) is { } option && NamesAPath(option))
                throw Empty(option, arg[..^1]);
        }
        foreach (var child in parse.CommandResult.Children)
        {
            switch (child)
            {
                case OptionResult { Option: var option } result when NamesAPath(option) && HasEmpty(result.Tokens):
                    throw Empty(option, result.IdentifierToken?.Value ?? option.Name);
                case ArgumentResult { Argument: var argument } result when NamesAPath(argument) && HasEmpty(result.Tokens):
                    throw new KeywardException($"the {argument.Name} argument is an empty path",
                        "give a path; an unset variable (as in \"$FILE\") gives an empty one", FailureKind.Usage);
            }
        }
    }

    private static KeywardException Empty(Option option, string flag)
    {
        if (Writes(option))
        {
            bool dash = option.Description?.Contains("stdout", StringComparison.Ordinal) ?? false;
            return new KeywardException($"{flag}: the output path is empty",
                $"give a file name{(dash ? ", or - for standard output" : "")}; an unset variable (as in {flag} \"$OUT\") gives an empty path",
                FailureKind.Usage);
        }
        return new KeywardException($"{flag}: the path is empty",
            $"give a path; an unset variable (as in {flag} \"$FILE\") gives an empty one", FailureKind.Usage);
    }

    private static bool HasEmpty(IReadOnlyList<Token> tokens)
    {
        foreach (var token in tokens)
        {
            if (token.Value.Length == 0)
                return true;
        }
        return false;
    }
}
