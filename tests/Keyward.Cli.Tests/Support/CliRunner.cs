using System.Text;

namespace Keyward.Cli.Tests.Support;

/// <summary>Runs the keyward CLI in-process with in-memory standard streams, as a user would from a shell.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string StdoutText => Encoding.UTF8.GetString(Stdout);
    }

    public static Result Run(string[] args, byte[]? stdin = null, Func<string, string?>? readSecret = null,
        bool stdoutIsTerminal = false, Func<string, string?>? environment = null, TimeProvider? time = null)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var console = new CliConsole
        {
            Stdin = new MemoryStream(stdin ?? []),
            Stdout = stdout,
            Stderr = stderr,
            StdoutIsTerminal = stdoutIsTerminal,
            ReadSecret = readSecret ?? (_ => null),
            Environment = environment ?? (_ => null),
            Time = time ?? TimeProvider.System,
        };
        int code = KeywardApp.Run(args, console);
        return new Result(code, stdout.ToArray(), stderr.ToString());
    }
}

/// <summary>A temporary folder removed after the test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keyward-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
