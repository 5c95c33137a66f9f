using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Keyward.Core;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;

namespace Keyward.Cli.Commands.Sops;

/// <summary><c>keyward exec-env</c> and <c>keyward exec-file</c>: run a command with the secrets, never on argv.</summary>
internal static class ExecCommands
{
    public static Command CreateExecEnv(CliConsole console)
    {
        var o = new SopsOptions();
        var pristine = new Option<bool>("--pristine") { Description = "Run with only the file's variables in the environment" };
        var file = new Argument<string>("FILE");
        var cmd = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore, Description = "Run with /bin/sh -c" };
        var command = new Command("exec-env", "Run COMMAND with the file's top-level values as environment variables") { o.Identity, o.InputType, o.IgnoreMac, pristine, file, cmd };
        command.SetAction(parse =>
        {
            var io = o.Context(parse, console);
            var path = parse.GetValue(file)!;
            var (decrypted, key) = SopsCli.Decrypt(io, path);
            CryptographicOperations.ZeroMemory(key);
            var psi = Shell(parse.GetValue(cmd)!);
            if (parse.GetValue(pristine))
                psi.Environment.Clear();
            foreach (var entry in decrypted.Documents[0].Root.Entries)
            {
                if (entry.Value is not SopsScalar s)
                    throw new KeywardException($"\"{path}\": \"{entry.Key}\" is not a simple value; exec-env uses top-level values only", null, FailureKind.Usage);
                psi.Environment[entry.Key] = DotenvStore.ScalarText(s);
            }
            return Run(psi);
        });
        return command;
    }

    public static Command CreateExecFile(CliConsole console)
    {
        var o = new SopsOptions();
        var file = new Argument<string>("FILE");
        var cmd = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore, Description = "Run with /bin/sh -c; {} is replaced by the plaintext file's path" };
        var command = new Command("exec-file", "Run COMMAND with the decrypted file in a private temporary file, removed afterwards") { o.Identity, o.InputType, o.OutputType, o.IgnoreMac, file, cmd };
        command.SetAction(parse =>
        {
            var io = o.Context(parse, console);
            var path = parse.GetValue(file)!;
            var (decrypted, key) = SopsCli.Decrypt(io, path);
            CryptographicOperations.ZeroMemory(key);
            var dir = Directory.CreateTempSubdirectory("keyward-exec-");
            var temp = Path.Combine(dir.FullName, Path.GetFileName(path));
            try
            {
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                AtomicFile.WriteAllBytes(temp, SopsCli.PlaintextBytes(io, decrypted, path), AtomicWriteOptions.Private);
                var words = parse.GetValue(cmd)!.Select(w => w.Replace("{}", temp, StringComparison.Ordinal)).ToArray();
                return Run(Shell(words));
            }
            finally
            {
                if (File.Exists(temp))
                    File.WriteAllBytes(temp, new byte[new FileInfo(temp).Length]);
                dir.Delete(recursive: true);
            }
        });
        return command;
    }

    private static ProcessStartInfo Shell(string[] words)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(string.Join(' ', words));
        return psi;
    }

    private static int Run(ProcessStartInfo psi)
    {
        using var process = Process.Start(psi) ?? throw new KeywardException("cannot start /bin/sh", null, FailureKind.Failed);
        process.WaitForExit();
        return process.ExitCode;
    }
}
