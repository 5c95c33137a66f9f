using System.CommandLine;
using System.Security.Cryptography;
using Keyward.Core;

namespace Keyward.Cli.Commands.Sops;

/// <summary>
/// <c>keyward git-diff FILE</c>: a git textconv driver. Prints the decrypted document (no metadata, so MAC and
/// lastmodified churn is hidden); a file that is not encrypted, or that this user cannot open, is printed as it is.
/// The MAC is not required (git must get a view of every revision) but a mismatch is a warning on stderr, which git
/// shows: a tampered file must not pass review as an ordinary change.
/// </summary>
internal static class GitDiffCommand
{
    public static Command Create(CliConsole console)
    {
        var o = new SopsOptions();
        var file = new Argument<string>("FILE");
        var command = new Command("git-diff", "Print a decrypted, stable view of FILE for git's textconv") { o.Identity, o.InputType, file };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console) with { IgnoreMac = true };
            var path = parse.GetValue(file)!;
            byte[] output;
            try
            {
                var (decrypted, key) = SopsCli.Decrypt(io, path, null, out var report);
                CryptographicOperations.ZeroMemory(key);
                if (report.MacMismatch)
                    console.Stderr.WriteLine($"keyward: warning: \"{path}\": MAC mismatch: the file was changed after it was encrypted; keyward decrypt and sops will refuse it");
                output = [.. SopsCli.PlaintextBytes(io, decrypted, path), .. System.Text.Encoding.UTF8.GetBytes(Recipients(decrypted.Metadata))];
            }
            catch (KeywardException e) when (e.Kind == FailureKind.Failed || e.Message.Contains("not encrypted", StringComparison.Ordinal))
            {
                console.Stderr.WriteLine($"keyward: git-diff: showing \"{path}\" as it is: {e.Message}");
                output = SopsCli.ReadBytes(path);
            }
            console.Stdout.Write(output);
            console.Stdout.Flush();
            CryptographicOperations.ZeroMemory(output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Who can open the file, after its content: a change of recipients (updatekeys, rotate --add-age) changes no
    /// value, and a review must not see it as an empty diff. Recipients are public keys. A data key rotated alone
    /// changes nothing here, so the view stays stable.
    /// </summary>
    internal static string Recipients(Keyward.Sops.Metadata.SopsMetadata? metadata)
    {
        if (metadata is null)
            return "";
        var text = new System.Text.StringBuilder("# keyward git-diff: who can decrypt this file\n");
        for (int g = 0; g < metadata.KeyGroups.Count; g++)
        {
            var group = metadata.KeyGroups[g];
            var prefix = metadata.KeyGroups.Count > 1 ? $"#   key group {g + 1}: " : "#   ";
            foreach (var age in group.Age)
                text.Append(prefix).Append("age ").Append(age.Recipient.Trim()).Append('\n');
            foreach (var (kind, entries) in group.Foreign)
                text.Append(prefix).Append(kind).Append(' ').Append(entries.Values.Count()).Append(entries.Values.Count() == 1 ? " key" : " keys").Append('\n');
        }
        return text.ToString();
    }
}
