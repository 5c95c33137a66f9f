using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using Keyward.Core;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;

namespace Keyward.Cli.Commands.Sops;

/// <summary>
/// <c>keyward exec-env</c> and <c>keyward exec-file</c>: run a command with the secrets, never on argv.
/// One word after the file is a shell command run with <c>/bin/sh -c</c>, as sops's COMMAND; several words are the
/// command's argv, run directly with no shell, so each argument stays exactly as given.
/// </summary>
internal static class ExecCommands
{
    private const string CommandHelp = "One word: a shell command (/bin/sh -c), as in sops. Several words (after --): the program and its arguments, run without a shell";

    public static Command CreateExecEnv(CliConsole console)
    {
        var o = new SopsOptions();
        var pristine = new Option<bool>("--pristine") { Description = "Run with only the file's variables in the environment" };
        var file = new Argument<string>("FILE");
        var cmd = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore, Description = CommandHelp };
        var command = new Command("exec-env", "Run COMMAND with the file's top-level values as environment variables") { o.Identity, o.InputType, o.IgnoreMac, pristine, file, cmd };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            var path = parse.GetValue(file)!;
            var (decrypted, key) = SopsCli.Decrypt(io, path);
            CryptographicOperations.ZeroMemory(key);
            var psi = StartInfo(parse.GetValue(cmd)!);
            if (parse.GetValue(pristine))
                psi.Environment.Clear();
            foreach (var entry in decrypted.Documents[0].Root.Entries)
            {
                if (entry.Value is not SopsScalar s)
                    throw new KeywardException($"\"{path}\": \"{entry.Key}\" is not a simple value; exec-env uses top-level values only",
                        "move nested values to their own file and use exec-file, or flatten them into top-level keys", FailureKind.Usage);
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
        var cmd = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.OneOrMore, Description = CommandHelp + "; {} is replaced by the plaintext file's path" };
        var command = new Command("exec-file", "Run COMMAND with the decrypted file in a private temporary file, removed afterwards") { o.Identity, o.InputType, o.OutputType, o.IgnoreMac, file, cmd };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            var path = parse.GetValue(file)!;
            var (decrypted, key) = SopsCli.Decrypt(io, path);
            CryptographicOperations.ZeroMemory(key);
            using var privateFolder = SopsCli.PrivateFolder("keyward-exec-", out var dir);
            var temp = Path.Combine(dir.FullName, SafeName(Path.GetFileName(path)));
            try
            {
                AtomicFile.WriteAllBytes(temp, SopsCli.PlaintextBytes(io, decrypted, path), AtomicWriteOptions.Private);
                var words = parse.GetValue(cmd)!.Select(w => w.Replace("{}", temp, StringComparison.Ordinal)).ToArray();
                return Run(StartInfo(words));
            }
            finally
            {
                FileWipe.Overwrite(temp);
                dir.Delete(recursive: true);
            }
        });
        return command;
    }

    /// <summary>
    /// The file's name with only letters, digits, '.', '-' and '_' kept: the path is pasted into a shell command in
    /// the one-word form, and a name such as "x;rm -rf ~.yaml" must not become shell syntax.
    /// </summary>
    private static string SafeName(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        return safe.Trim('.').Length == 0 ? "plaintext" : safe;
    }

    private static ProcessStartInfo StartInfo(string[] words)
    {
        if (words.Length == 1)
        {
            var shell = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            shell.ArgumentList.Add("-c");
            shell.ArgumentList.Add(words[0]);
            return shell;
        }
        var direct = new ProcessStartInfo(words[0]) { UseShellExecute = false };
        foreach (var w in words.Skip(1))
            direct.ArgumentList.Add(w);
        return direct;
    }

    private static int Run(ProcessStartInfo psi)
    {
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new KeywardException($"cannot start \"{psi.FileName}\"", "check that the command exists and is executable", FailureKind.Failed);
        }
        catch (Win32Exception e)
        {
            throw new KeywardException($"cannot run \"{psi.FileName}\": {KeywardException.Plain(e)}",
                "check the command's name and $PATH; to run a shell command, pass it as one quoted word", FailureKind.Usage, e);
        }
        using (process)
        {
            // The command owns the terminal while it runs: Ctrl-C goes to it, and keyward passes on its exit code.
            using var interrupts = TerminationCleanup.Process.DeferInterrupts();
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
