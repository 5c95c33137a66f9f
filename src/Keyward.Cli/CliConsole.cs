namespace Keyward.Cli;

/// <summary>
/// Everything a command reads from or writes to outside its arguments. Tests build one with in-memory streams;
/// <see cref="FromProcess"/> wires the real process.
/// </summary>
public sealed class CliConsole
{
    public required Stream Stdin { get; init; }
    public required Stream Stdout { get; init; }
    public required TextWriter Stderr { get; init; }
    public bool StdinIsTerminal { get; init; }
    public bool StdoutIsTerminal { get; init; }
    public bool StderrIsTerminal { get; init; }
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads a passphrase without echo; null when there is no terminal to ask.</summary>
    public Func<string, string?> ReadSecret { get; init; } = _ => null;

    public static CliConsole FromProcess() => new()
    {
        Stdin = Console.OpenStandardInput(),
        Stdout = Console.OpenStandardOutput(),
        Stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true },
        StdinIsTerminal = !Console.IsInputRedirected,
        StdoutIsTerminal = !Console.IsOutputRedirected,
        StderrIsTerminal = !Console.IsErrorRedirected,
        ReadSecret = Terminal.ReadSecret,
    };
}
