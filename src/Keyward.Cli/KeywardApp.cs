using System.CommandLine;
using Keyward.Cli.Commands.Age;

namespace Keyward.Cli;

/// <summary>Builds the command tree and runs it: parse errors and exceptions both end in <see cref="ErrorReporter"/>.</summary>
public static class KeywardApp
{
    /// <summary>Shows stack traces on errors. Recursive so it works after any subcommand.</summary>
    internal static readonly Option<bool> DebugOption = new("--debug") { Description = "Show stack traces on errors", Recursive = true };

    /// <summary>The feature modules in help order, each building its top-level commands.</summary>
    private static readonly Func<CliConsole, IEnumerable<Command>>[] Modules =
    [
        console => [AgeCommand.Create(console)],
        Commands.Sops.SopsCommands.Create,
        Commands.Sealing.SealingCommands.Create,
        Commands.Audit.AuditCommands.Create,
        Commands.Ovh.OvhCommands.Create,
    ];

    /// <summary>
    /// The root command. With <paramref name="only"/> (the first argument), just the module that has a command of
    /// that name is built, when one has: building every command costs tens of milliseconds, a fifth of a small run.
    /// </summary>
    public static RootCommand BuildRoot(CliConsole console, string? only = null)
    {
        var root = new RootCommand("keyward: keep Kubernetes secrets and cloud credentials safe, from Git to cluster");
        root.Options.Add(DebugOption);
        var modules = only is not null && ModuleOf(only) is { } index ? [Modules[index]] : Modules;
        foreach (var create in modules)
        {
            foreach (var command in create(console))
                root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Which module has a top-level command named <paramref name="name"/> (see <see cref="ModuleNames"/>).</summary>
    private static int? ModuleOf(string name)
    {
        for (int i = 0; i < ModuleNames.Length; i++)
        {
            if (ModuleNames[i].Contains(name))
                return i;
        }
        return null;
    }

    /// <summary>Top-level command names of each module, in <see cref="Modules"/> order; a test keeps them in step.</summary>
    internal static readonly string[][] ModuleNames =
    [
        ["age"],
        ["encrypt", "decrypt", "edit", "set", "unset", "updatekeys", "rotate", "exec-env", "exec-file", "git-diff"],
        ["seal", "unseal"],
        ["audit"],
        ["ovh"],
    ];

    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        bool debug = args.Contains("--debug");
        try
        {
            args = SopsClassicFlags.Rewrite(args, ModuleNames.SelectMany(n => n));
            var root = BuildRoot(console, args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.CommandResult.Command == root && SopsAtTheTop(args) is { } sops)
            {
                console.Stderr.WriteLine($"keyward: error: {sops.Error}");
                console.Stderr.WriteLine($"keyward: hint: {sops.Hint}");
                return ExitCodes.Usage;
            }
            if (parse.Action is not System.CommandLine.Help.HelpAction)
                EmptyPaths.Refuse(parse, args);
            if (parse.Errors.Count > 0)
            {
                var flag = UnknownFlag(parse);
                if (flag is not null)
                    console.Stderr.WriteLine($"keyward: error: unknown flag \"{flag}\"");
                // With an unknown flag found, the arguments it pushed out of place are not errors of their own.
                foreach (var error in parse.Errors.Where(e => flag is null || !parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))))
                    console.Stderr.WriteLine($"keyward: error: {Keyward.Core.KeywardException.Plain(error.Message)}");
                var path = string.Join(' ', parse.CommandResult.Command.Name == root.Name ? [] : CommandPath(parse.CommandResult));
                // sops's flags for other key types, age's -o...: what the SOPS command takes instead.
                if (flag is not null && ModuleNames[1].Contains(parse.CommandResult.Command.Name))
                    console.Stderr.WriteLine($"keyward: hint: {Commands.Sops.UnknownSopsFlag.Hint(parse.CommandResult.Command.Name, Commands.Sops.UnknownSopsFlag.Flag(flag) ?? flag)}");
                console.Stderr.WriteLine($"keyward: hint: run \"keyward {path}{(path.Length > 0 ? " " : "")}--help\" for usage");
                return ExitCodes.Usage;
            }
            using var stdout = new StreamWriter(console.Stdout, leaveOpen: true) { AutoFlush = true };
            if (parse.Action is System.CommandLine.Help.HelpAction)
            {
                using var help = new StringWriter();
                int code = parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = help, Error = console.Stderr });
                stdout.Write(HelpText.MarkOptionalArguments(help.ToString(), parse.CommandResult.Command));
                return code;
            }
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = console.Stderr };
            return parse.Invoke(config);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, console.Stderr, debug);
        }
    }

    /// <summary>
    /// sops's forms that name no command, typed as they are with keyward for sops: <c>keyward FILE</c> (sops's edit) and
    /// <c>keyward --set '["a"] "b"' FILE</c> (or --unset, -s): one error that says what keyward has instead, rather than
    /// System.CommandLine's "required command was not provided" next to the unknown flag.
    /// </summary>
    private static (string Error, string Hint)? SopsAtTheTop(string[] args)
    {
        if (args.Length == 0 || args[0].Length == 0)
            return null;
        if (args[0][0] != '-')
            return File.Exists(args[0]) ? ($"\"{args[0]}\" is not a command", $"sops FILE opens FILE in an editor; here that is keyward edit {args[0]}") : null;
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (Commands.Sops.UnknownSopsFlag.Flag(arg) is { } flag && Commands.Sops.UnknownSopsFlag.Instead(flag) is { } instead)
                return ($"unknown flag \"{flag}\"", instead);
        }
        return null;
    }

    /// <summary>
    /// An unknown flag in front of an optional argument is taken as that argument's value, and the real argument is
    /// then the one reported as unrecognized (<c>seal --bogus s.yaml</c> blamed s.yaml): find the flag instead.
    /// </summary>
    private static string? UnknownFlag(ParseResult parse)
    {
        foreach (var child in parse.CommandResult.Children)
        {
            if (child is System.CommandLine.Parsing.ArgumentResult argument
                && argument.Tokens.FirstOrDefault(t => t.Value.Length > 1 && t.Value[0] == '-') is { } token)
                return token.Value;
        }
        return parse.UnmatchedTokens.FirstOrDefault(t => t.Length > 1 && t[0] == '-');
    }

    private static Stack<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
            names.Push(r.Command.Name);
        return names;
    }
}
