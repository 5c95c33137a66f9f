using System.CommandLine;
using System.Security.Cryptography;
using Keyward.Core;
using Keyward.Sops.Crypto;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;

namespace Keyward.Cli.Commands.Sops;

/// <summary><c>keyward rotate</c> (new data key) and <c>keyward updatekeys</c> (same data key, recipients from .sops.yaml).</summary>
internal static class KeyCommands
{
    public static Command CreateRotate(CliConsole console)
    {
        var o = new SopsOptions();
        var add = new Option<string[]>("--add-age") { Description = "Comma-separated age recipients to add; repeatable", HelpName = "RECIPIENTS" };
        var remove = new Option<string[]>("--rm-age") { Description = "Comma-separated age recipients to remove; repeatable", HelpName = "RECIPIENTS" };
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "SOPS files; several are rotated in place" };
        var command = new Command("rotate", "Re-encrypt every value under a new data key") { o.Identity, o.InputType, o.IgnoreMac, o.InPlace, o.Output, add, remove, files };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            var list = parse.GetValue(files)!;
            var output = parse.GetValue(o.Output);
            SopsCli.RequireOneOutput(list, parse.GetValue(o.InPlace), output);
            bool inPlace = parse.GetValue(o.InPlace) || list.Length > 1; // as encrypt: several files change in place
            var toRemove = SopsCli.RecipientList(parse.GetValue(remove));
            var toAdd = SopsCli.RecipientList(parse.GetValue(add));
            // Every file rotated in memory before any is written: after a leaked key, a file that cannot be opened (or
            // does not hold the key to remove) stops the run with none of them changed, not half of them moved.
            var rotated = new List<byte[]>(list.Length);
            foreach (var path in list)
                rotated.Add(Rotate(io, console, path, toRemove, toAdd));
            SopsCli.CheckDestinations(list, inPlace, output, secret: false);
            for (int i = 0; i < list.Length; i++)
            {
                SopsCli.Emit(console, list[i], rotated[i], inPlace, output, secret: false);
                if (list.Length > 1)
                    console.Stderr.WriteLine($"keyward: rotated \"{list[i]}\"");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One file under a new data key, with the recipients changed; its new content, nothing written.</summary>
    private static byte[] Rotate(SopsCli.IoContext io, CliConsole console, string path, List<string> toRemove, List<string> toAdd)
    {
        var (decrypted, key) = SopsCli.Decrypt(io, path);
        CryptographicOperations.ZeroMemory(key);
        var groups = decrypted.Metadata!.KeyGroups.Select(g => g.Age.Select(a => a.Recipient).ToList()).ToList();
        // A recipient that is not there is most likely a typo for one that is: removing nothing silently would
        // leave the key the user meant to revoke able to decrypt.
        var absent = toRemove.Where(r => !groups.Any(g => g.Contains(r))).ToList();
        if (absent.FirstOrDefault(Keyward.Age.Keys.AgeKeyFile.LooksSecret) is { } secretKey)
            throw new KeywardException($"\"{path}\": --rm-age was given a secret key ({RecipientText.Show(secretKey)}), not a recipient; nothing was changed",
                "give the public key (age1...); keyward age keygen -y prints it", FailureKind.Usage);
        if (absent.Count > 0)
            throw new KeywardException($"\"{path}\": {string.Join(", ", absent)} {(absent.Count == 1 ? "is" : "are")} not a recipient of the file; nothing was changed",
                $"the file's age recipients are {string.Join(", ", groups.SelectMany(g => g).Distinct().Select(RecipientText.Show))}", FailureKind.Usage);
        foreach (var g in groups)
            g.RemoveAll(toRemove.Contains);
        foreach (var r in toAdd)
        {
            if (!groups[0].Contains(r))
                groups[0].Add(r);
        }
        SopsEngine.Rotate(decrypted, groups, console.Time);
        return Stores.For(decrypted.Store).Write(decrypted);
    }

    public static Command CreateUpdateKeys(CliConsole console)
    {
        var o = new SopsOptions();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("updatekeys", "Re-wrap the same data key for the recipients .sops.yaml now names") { o.Identity, o.Config, o.InputType, yes, files };
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            // Every file re-wrapped in memory (and confirmed) before any is written: a file that cannot be opened
            // stops the run with none of them changed.
            var updated = new List<(string Path, byte[] Content)>();
            foreach (var path in parse.GetValue(files)!)
            {
                var file = SopsCli.Read(io, path, encrypted: true);
                var meta = file.Metadata ?? throw new KeywardException($"\"{path}\" is not encrypted", "encrypt it first with keyward encrypt", FailureKind.Usage);
                var groups = SopsCli.KeyGroups(null, io.LoadConfig(path), path);
                var old = meta.KeyGroups.Select(g => g.Age.Select(a => a.Recipient).ToList()).ToList();
                if (old.Count == groups.Count && old.Zip(groups).All(p => p.First.SequenceEqual(p.Second)) && meta.KeyGroups.All(g => g.Foreign.Count == 0))
                {
                    console.Stderr.WriteLine($"keyward: \"{path}\": keys already up to date");
                    continue;
                }
                for (int g = 0; g < Math.Max(old.Count, groups.Count); g++)
                {
                    var before = g < old.Count ? old[g] : [];
                    var after = g < groups.Count ? groups[g] : [];
                    console.Stderr.WriteLine($"\"{path}\" key group {g}:");
                    foreach (var r in after.Except(before))
                        console.Stderr.WriteLine($"+++ {RecipientText.Show(r)}");
                    foreach (var r in before.Except(after))
                        console.Stderr.WriteLine($"--- {RecipientText.Show(r)}");
                }
                if (!parse.GetValue(yes) && !Confirm(console))
                {
                    console.Stderr.WriteLine($"keyward: \"{path}\" left unchanged");
                    continue;
                }
                var key = DataKeys.Unwrap(meta, io.Identities(), path);
                try
                {
                    // Keep the wrapped key of every recipient that stays, so only the added and removed entries change.
                    var kept = meta.AllAgeKeys.ToDictionary(a => a.Recipient, a => a.Enc);
                    bool sameShape = groups.Count == 1 && meta.KeyGroups.Count == 1;
                    var groupCount = groups.Count;
                    meta.KeyGroups.Clear();
                    for (int g = 0; g < groupCount; g++)
                        meta.KeyGroups.Add(new Keyward.Sops.Metadata.KeyGroup());
                    meta.WriteKeyGroups = groupCount > 1;
                    DataKeys.Wrap(meta, key, groups, null);
                    if (sameShape)
                    {
                        var entries = meta.KeyGroups[0].Age;
                        for (int i = 0; i < entries.Count; i++)
                        {
                            if (kept.TryGetValue(entries[i].Recipient, out var enc))
                                entries[i] = entries[i] with { Enc = enc };
                        }
                    }
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(key);
                }
                updated.Add((path, Stores.For(file.Store).Write(file)));
            }
            foreach (var (path, _) in updated)
                AtomicFile.CheckDestination(path);
            foreach (var (path, content) in updated)
                AtomicFile.WriteAllBytes(path, content);
            return ExitCodes.Success;
        });
        return command;
    }

    private static bool Confirm(CliConsole console)
    {
        if (!console.StdinIsTerminal)
            throw new KeywardException("updatekeys needs confirmation and there is no terminal", "pass --yes", FailureKind.Usage);
        console.Stderr.Write("Is this okay? (y/n): ");
        using var reader = new StreamReader(console.Stdin, leaveOpen: true);
        return reader.ReadLine()?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
