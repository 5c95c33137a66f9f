using Keyward.Core;

namespace Keyward.Cli;

/// <summary>
/// sops's classic form, <c>sops --age=age1... --encrypt --encrypted-regex '^(data|stringData)$' --in-place FILE</c>
/// (the Flux guide's), with only the program name changed: the mode flag becomes the subcommand it stands for,
/// ahead of the other arguments, which keep their order. Only when the command line starts with an option and names
/// no subcommand, so a command's own flags (<c>age encrypt -r</c>) are never taken for a mode.
/// </summary>
internal static class SopsClassicFlags
{
    /// <summary>The mode flags taken, each with the subcommand it means; sops's others (--set, -s...) are not.</summary>
    private static readonly (string Short, string Long, string Command)[] Modes =
    [
        ("-e", "--encrypt", "encrypt"),
        ("-d", "--decrypt", "decrypt"),
        ("-r", "--rotate", "rotate"),
    ];

    public static string[] Rewrite(string[] args, IEnumerable<string> commandNames)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0].Length < 2 || args[0][0] != '-')
            return args;
        // After "--" everything is an argument (a file named -d).
        int end = Array.IndexOf(args, "--");
        if (end < 0)
            end = args.Length;
        var names = commandNames.ToHashSet(StringComparer.Ordinal);
        if (args.Take(end).Any(names.Contains))
            return args;
        var found = new List<int>();
        for (int i = 0; i < end; i++)
        {
            if (Modes.Any(m => args[i] == m.Short || args[i] == m.Long))
                found.Add(i);
        }
        if (found.Count == 0)
            return args;
        if (found.Count > 1)
            throw new KeywardException($"{args[found[0]]} and {args[found[1]]} cannot be combined",
                "give one of -e/--encrypt, -d/--decrypt, -r/--rotate, or name the command: keyward encrypt|decrypt|rotate ...", FailureKind.Usage);
        var mode = Modes.First(m => args[found[0]] == m.Short || args[found[0]] == m.Long);
        return [mode.Command, .. args.Where((_, i) => i != found[0])];
    }
}
