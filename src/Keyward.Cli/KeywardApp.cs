using System.CommandLine;
using Keyward.Cli.Commands.Age;

namespace Keyward.Cli;

/// <summary>Builds the command tree and runs it: parse errors and exceptions both end in <see cref="ErrorReporter"/>.</summary>
public static class KeywardApp
{
    /// <summary>Shows stack traces on errors. Recursive so it works after any subcommand.</summary>
    internal static readonly Option<bool> DebugOption = new("--debug") { Description = "Show stack traces on errors", Recursive = true };

    public static RootCommand BuildRoot(CliConsole console)
    {
        var root = new RootCommand("keyward: keep Kubernetes secrets and cloud credentials safe, from Git to cluster");
        root.Options.Add(DebugOption);
        root.Subcommands.Add(AgeCommand.Create(console));
        foreach (var command in Commands.Sops.SopsCommands.Create(console))
            root.Subcommands.Add(command);
        foreach (var command in Commands.Sealing.SealingCommands.Create(console))
            root.Subcommands.Add(command);
        foreach (var command in Commands.Audit.AuditCommands.Create(console))
            root.Subcommands.Add(command);
        foreach (var command in Commands.Ovh.OvhCommands.Create(console))
            root.Subcommands.Add(command);
        return root;
    }

    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        bool debug = args.Contains("--debug");
        try
        {
            var root = BuildRoot(console);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                    console.Stderr.WriteLine($"keyward: error: {Lowercase(error.Message)}");
                var path = string.Join(' ', parse.CommandResult.Command.Name == root.Name ? [] : CommandPath(parse.CommandResult));
                console.Stderr.WriteLine($"keyward: hint: run \"keyward {path}{(path.Length > 0 ? " " : "")}--help\" for usage");
                return ExitCodes.Usage;
            }
            using var stdout = new StreamWriter(console.Stdout, leaveOpen: true) { AutoFlush = true };
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = stdout, Error = console.Stderr };
            return parse.Invoke(config);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, console.Stderr, debug);
        }
    }

    private static Stack<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
            names.Push(r.Command.Name);
        return names;
    }

    private static string Lowercase(string message)
    {
        var m = message.TrimEnd('.');
        return m.Length > 1 && char.IsUpper(m[0]) && !char.IsUpper(m[1]) ? char.ToLowerInvariant(m[0]) + m[1..] : m;
    }
}
