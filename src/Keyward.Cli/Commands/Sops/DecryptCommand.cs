using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Keyward.Core;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;

namespace Keyward.Cli.Commands.Sops;

/// <summary><c>keyward decrypt</c>: to stdout by default, <c>--extract</c> one value, several files or <c>--recursive</c> in one run.</summary>
internal static class DecryptCommand
{
    public static Command Create(CliConsole console)
    {
        var o = new SopsOptions();
        var extract = new Option<string?>("--extract") { Description = "Print only the value at PATH, e.g. '[\"data\"][\"key\"]'", HelpName = "PATH" };
        var recursive = new Option<string[]>("--recursive") { Description = "Decrypt every sops file under DIR", HelpName = "DIR" };
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.ZeroOrMore, Description = "Encrypted files" };
        var command = new Command("decrypt", "Decrypt sops files (to stdout unless --in-place or --output)")
        {
            o.Identity, o.Config, o.InputType, o.OutputType, o.InPlace, o.Output, o.IgnoreMac, extract, recursive, files,
        };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            var list = SopsCli.Files(io, parse.GetValue(files) ?? [], parse.GetValue(recursive) ?? [], SopsCli.LooksEncrypted);
            bool inPlace = parse.GetValue(o.InPlace);
            var extractPath = parse.GetValue(extract);
            var output = parse.GetValue(o.Output);
            SopsCli.RequireOneOutput(list, inPlace, output);
            // A key file among the files (-i KEY, as in age) is named before any file is decrypted, so the error
            // is that one and not "no identity matched" for the file before it.
            KeyFileGuard.RefuseKeyFilesAsEncrypted(io, list);
            io.Identities();
            // Every file decrypted before anything is written: `decrypt FILE -i KEY` (-i as in age) or any other bad
            // argument must not leave the files before it decrypted on disk.
            var contents = SopsCli.MapAll(list, path => Decrypted(io, path, extractPath), content => CryptographicOperations.ZeroMemory(content));
            try
            {
                SopsCli.CheckDestinations(list, inPlace, output, secret: true);
                for (int i = 0; i < list.Count; i++)
                {
                    if (!inPlace && i > 0 && io.OutputStore(list[i]) == StoreKind.Yaml)
                        console.Stdout.Write("---\n"u8);
                    SopsCli.Emit(console, list[i], contents[i], inPlace, output, secret: true);
                }
            }
            finally
            {
                foreach (var content in contents)
                    CryptographicOperations.ZeroMemory(content);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One file's plaintext (or the --extract value); runs on several threads at once.</summary>
    private static byte[] Decrypted(SopsCli.IoContext io, string path, string? extractPath)
    {
        var (file, key) = SopsCli.Decrypt(io, path);
        CryptographicOperations.ZeroMemory(key);
        if (extractPath is null)
            return SopsCli.PlaintextBytes(io, file, path);
        var node = TreePath.Get(file.Documents[0].Root, TreePath.Parse(extractPath))
            ?? throw new KeywardException($"\"{path}\": nothing at {extractPath}", "check the path", FailureKind.Usage);
        return node is SopsScalar s ? (s.Kind == ScalarKind.Str ? s.PlaintextBytes() : Encoding.UTF8.GetBytes(DotenvStore.ScalarText(s)))
            : Extracted(io, file, node, path);
    }

    private static byte[] Extracted(SopsCli.IoContext io, SopsFile file, SopsNode node, string path)
    {
        if (node is SopsSequence list)
        {
            // As sops prints one: YAML items at the left margin, JSON as an indented array.
            var store = io.OutputStore(path);
            return Stores.WriteList(store, list, store == file.Store ? file.Layout : new TreeLayout { Indent = store == StoreKind.Json ? 0 : 4 }, path);
        }
        var tree = new SopsFile(file.Store, path) { Layout = file.Layout };
        tree.Documents.Add(new SopsDocument((SopsMapping)node));
        return SopsCli.PlaintextBytes(io, tree, path);
    }
}
