using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;

namespace Keyward.Cli.Commands.Sops;

/// <summary>
/// <c>keyward edit</c>: the plaintext only in a 0600 file in a private temporary folder, removed afterwards; the file is
/// re-encrypted only if the content changed and still parses, and unchanged values keep their exact ciphertext.
/// </summary>
internal static class EditCommand
{
    public static Command Create(CliConsole console)
    {
        var o = new SopsOptions();
        var file = new Argument<string>("FILE");
        var command = new Command("edit", "Edit an encrypted file in $SOPS_EDITOR or $EDITOR") { o.Identity, o.InputType, o.IgnoreMac, file };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            var path = parse.GetValue(file)!;
            var stash = new ValueStash();
            var (decrypted, key) = SopsCli.Decrypt(io, path, stash);
            using var privateFolder = SopsCli.PrivateFolder("keyward-edit-", out var dir);
            var temp = Path.Combine(dir.FullName, Path.GetFileName(path));
            try
            {
                var plain = SopsCli.PlaintextBytes(io, decrypted, path);
                var before = SHA256.HashData(plain);
                AtomicFile.WriteAllBytes(temp, plain, AtomicWriteOptions.Private);
                CryptographicOperations.ZeroMemory(plain);
                var store = Stores.For(decrypted.Store);
                SopsFile updated;
                while (true)
                {
                    RunEditor(console, temp);
                    var edited = File.ReadAllBytes(temp);
                    try
                    {
                        if (SHA256.HashData(edited).AsSpan().SequenceEqual(before))
                        {
                            console.Stderr.WriteLine($"keyward: \"{path}\" unchanged; nothing written");
                            return ExitCodes.Success;
                        }
                        updated = Stores.ReadPlaintext(decrypted.Store, edited, path + " (edited)");
                        break;
                    }
                    catch (KeywardException e) when (console.StdinIsTerminal)
                    {
                        // As sops does: show what is wrong and offer the editor again; the encrypted file is untouched.
                        console.Stderr.WriteLine($"keyward: error: {e.Message}");
                        console.Stderr.Write("keyward: press Enter to edit the file again, or q and Enter to give up (nothing is written): ");
                        console.Stderr.Flush();
                        if (ReadAnswer(console) is "q" or "Q" or null)
                            throw new KeywardException($"\"{path}\" not changed: the edited text was not valid", "run keyward edit again and fix the error shown above; the encrypted file is as it was", FailureKind.Failed);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(edited);
                    }
                }
                updated.Metadata = decrypted.Metadata;
                updated.Layout = decrypted.Layout;
                SopsEngine.Reencrypt(updated, key, stash, console.Time);
                AtomicFile.WriteAllBytes(path, store.Write(updated));
                return ExitCodes.Success;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
                FileWipe.Overwrite(temp);
                dir.Delete(recursive: true);
            }
        });
        return command;
    }

    private static string? ReadAnswer(CliConsole console)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = console.Stdin.ReadByte()) >= 0 && b != '\n')
            bytes.Add((byte)b);
        return b < 0 && bytes.Count == 0 ? null : System.Text.Encoding.UTF8.GetString([.. bytes]).Trim();
    }

    private static void RunEditor(CliConsole console, string file)
    {
        var editor = console.Environment("SOPS_EDITOR") ?? console.Environment("EDITOR") ?? "vi";
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(editor + " \"$1\"");
        psi.ArgumentList.Add("keyward-edit");
        psi.ArgumentList.Add(file);
        // The editor owns the terminal: Ctrl-C is for it, not a reason to drop the user's edit (as git does).
        using var interrupts = TerminationCleanup.Process.DeferInterrupts();
        using var process = Process.Start(psi) ?? throw new KeywardException($"cannot start the editor \"{editor}\"", "set $EDITOR", FailureKind.Usage);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new KeywardException($"the editor exited with code {process.ExitCode}; the file was not changed", "check the editor ($SOPS_EDITOR, $EDITOR or $VISUAL) and that it exits 0 after saving", FailureKind.Failed);
    }
}
