using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;

namespace Keyward.Cli.Commands.Sops;

/// <summary><c>keyward set</c> and <c>keyward unset</c>: change one value in place; every other value keeps its exact ciphertext.</summary>
internal static class SetCommands
{
    public static Command CreateSet(CliConsole console)
    {
        var o = new SopsOptions();
        var file = new Argument<string>("FILE");
        var path = new Argument<string>("PATH") { Description = "Where, e.g. '[\"stringData\"][\"password\"]'" };
        var value = new Argument<string?>("VALUE") { Arity = ArgumentArity.ZeroOrOne, Description = "JSON value; visible to other processes on the command line, prefer --value-stdin" };
        var valueFile = new Option<string?>("--value-file") { Description = "Read the JSON value from FILE", HelpName = "FILE" };
        var valueStdin = new Option<bool>("--value-stdin") { Description = "Read the JSON value from standard input" };
        var command = new Command("set", "Set one value of an encrypted file, keeping every other ciphertext") { o.Identity, o.InputType, o.IgnoreMac, valueFile, valueStdin, file, path, value };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            var json = ReadValue(console, parse.GetValue(value), parse.GetValue(valueFile), parse.GetValue(valueStdin));
            var node = JsonStore.Parse(json, "the value");
            CryptographicOperations.ZeroMemory(json);
            Rewrite(console, io, parse.GetValue(file)!, root => TreePath.Set(root, TreePath.Parse(parse.GetValue(path)!), node));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateUnset(CliConsole console)
    {
        var o = new SopsOptions();
        var file = new Argument<string>("FILE");
        var path = new Argument<string>("PATH");
        var idempotent = new Option<bool>("--idempotent") { Description = "Succeed without writing when the path does not exist" };
        var command = new Command("unset", "Remove one value from an encrypted file") { o.Identity, o.InputType, o.IgnoreMac, idempotent, file, path };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            var target = parse.GetValue(path)!;
            Rewrite(console, io, parse.GetValue(file)!, root =>
            {
                if (!TreePath.Remove(root, TreePath.Parse(target)) && !parse.GetValue(idempotent))
                    throw new KeywardException($"\"{parse.GetValue(file)}\": nothing at {target}", "check the path, or pass --idempotent", FailureKind.Usage);
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static byte[] ReadValue(CliConsole console, string? argv, string? file, bool stdin)
    {
        if (argv is not null)
        {
            console.Stderr.WriteLine("keyward: warning: the value was given on the command line, where other processes can see it; prefer --value-stdin");
            return Encoding.UTF8.GetBytes(argv);
        }
        if (file is not null)
            return SopsCli.ReadBytes(file);
        if (stdin)
            return InputFile.ReadAll(console.Stdin, "the value on standard input", Array.MaxLength, "pipe in the JSON value alone");
        var prompted = console.ReadSecret("Value (JSON): ") ?? throw new KeywardException("no value given", "pass --value-stdin or --value-file FILE", FailureKind.Usage);
        return Encoding.UTF8.GetBytes(prompted);
    }

    /// <summary>Decrypt, change the tree, re-encrypt under the same data key reusing unchanged ciphertexts, write atomically.</summary>
    internal static void Rewrite(CliConsole console, SopsCli.IoContext io, string path, Action<SopsMapping> change)
    {
        var stash = new ValueStash();
        var (file, key) = SopsCli.Decrypt(io, path, stash);
        try
        {
            change(file.Documents[0].Root);
            SopsEngine.Reencrypt(file, key, stash, console.Time);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
        AtomicFile.WriteAllBytes(path, Stores.For(file.Store).Write(file));
    }
}
