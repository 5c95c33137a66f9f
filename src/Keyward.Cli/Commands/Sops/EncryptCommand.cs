using System.CommandLine;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Metadata;
using Keyward.Sops.Stores;
using Keyward.Sops.Tree;

namespace Keyward.Cli.Commands.Sops;

/// <summary><c>keyward encrypt</c>: sops's encrypt, with several files, --recursive, and the Kubernetes Secret default.</summary>
internal static class EncryptCommand
{
    public static Command Create(CliConsole console)
    {
        var o = new SopsOptions();
        var age = new Option<string[]>("--age") { Description = "Comma-separated age recipients (replace the creation rule's keys); repeatable", HelpName = "RECIPIENTS" };
        var recursive = new Option<string[]>("--recursive") { Description = "Encrypt in place, and name, each file under DIR that a creation rule matches", HelpName = "DIR" };
        var threshold = new Option<int?>("--shamir-secret-sharing-threshold") { Description = "Key groups needed to decrypt", HelpName = "N" };
        var macOnly = new Option<bool>("--mac-only-encrypted") { Description = "The MAC covers encrypted values only" };
        var rules = CryptRule.Options.Select(n => new Option<string?>("--" + n.Replace('_', '-')) { Description = $"sops {n}", HelpName = "VALUE" }).ToList();
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.ZeroOrMore, Description = "Plaintext files" };
        var command = new Command("encrypt", "Encrypt files as sops does (age recipients from --age or .sops.yaml)")
        {
            o.Identity, o.Config, o.InputType, o.OutputType, o.InPlace, o.Output, age, recursive, threshold, macOnly, files,
        };
        foreach (var r in rules)
            command.Options.Add(r);
        command.SetAction(parse =>
        {
            using var io = o.Context(parse, console);
            var named = parse.GetValue(files) ?? [];
            var dirs = parse.GetValue(recursive) ?? [];
            var list = SopsCli.Files(io, named, dirs, f => io.LoadConfig(f)?.Match(f) is not null && !SopsCli.LooksEncrypted(f));
            bool inPlace = parse.GetValue(o.InPlace) || dirs.Length > 0 || list.Count > 1;
            var output = parse.GetValue(o.Output);
            SopsCli.RequireOneOutput(list, parse.GetValue(o.InPlace), output);
            if (output is not null and not "-" && dirs.Length > 0)
                throw new KeywardException("--output names one file, and --recursive encrypts each file in place", "drop --output", FailureKind.Usage);
            var flagRules = rules.Select((r, i) => (CryptRule.Options[i], parse.GetValue(r))).Where(x => x.Item2 is not null).ToList();
            if (flagRules.Count > 1)
                throw new KeywardException($"--{flagRules[0].Item1.Replace('_', '-')} and --{flagRules[1].Item1.Replace('_', '-')} cannot be combined", "sops allows one encryption rule", FailureKind.Usage);
            bool toldKubernetes = false;
            // Notes about what is being done wait until every file encrypted: a run that fails writes nothing and
            // must not have announced anything.
            var notes = new List<string>();
            // Every file encrypted in memory before any is written: one bad file among several changes none of them.
            var written = new List<(string Path, byte[] Content)>(list.Count);
            for (int index = 0; index < list.Count; index++)
            {
                var path = list[index];
                // SopsCli.Files lists the named files first, then those found under --recursive folders.
                bool foundByRecursive = index >= named.Length;
                var content = SopsCli.ReadBytes(io, path);
                if (inPlace || (output is not null and not "-" && AtomicFile.SameFile(output, path)))
                    KeyFileGuard.RefuseInPlaceEncryption(io, path, content);
                var file = SopsCli.Read(io, path, encrypted: false, content);
                if (file.Metadata is not null)
                    throw new KeywardException($"\"{path}\" is already encrypted", "use keyward edit or set to change it, or decrypt it first", FailureKind.Usage);
                var config = io.LoadConfig(path);
                var rule = config?.Match(path);
                CryptRule? crypt = flagRules.Count == 1 ? new CryptRule(flagRules[0].Item1, flagRules[0].Item2!) : rule?.Rule;
                if (crypt is null && SopsCli.IsKubernetesSecret(file))
                {
                    crypt = CryptRule.KubernetesSecret;
                    if (!toldKubernetes)
                    {
                        notes.Add("keyward: note: Kubernetes Secret: encrypting only data and stringData (encrypted_regex ^(data|stringData)$), so "
                            + (SopsCli.ObjectCount(file) == 1 ? "Flux can read apiVersion, kind and metadata" : "apiVersion, kind and metadata stay readable"));
                    }
                    toldKubernetes = true;
                }
                file.DropEmptyDocuments();
                WarnAboutSharedMac(console, file, path);
                if (config?.YamlIndent is { } yi && file.Store == StoreKind.Yaml)
                    file.Layout = file.Layout with { Indent = yi };
                if (config?.JsonIndent is { } ji && file.Store is StoreKind.Json)
                    file.Layout = file.Layout with { Indent = ji };
                int encryptedBefore = EncryptedValueCount(file);
                SopsEngine.Encrypt(file, new EncryptionSettings
                {
                    AgeKeyGroups = SopsCli.KeyGroups(parse.GetValue(age) ?? [], config, path),
                    ShamirThreshold = parse.GetValue(threshold) ?? rule?.ShamirThreshold,
                    Rule = crypt,
                    MacOnlyEncrypted = parse.GetValue(macOnly) || rule?.MacOnlyEncrypted == true,
                    Time = console.Time,
                });
                WarnAboutValuesInClear(console, file, path);
                if (EncryptedValueCount(file) == encryptedBefore)
                {
                    var what = $"\"{path}\": the encryption rule ({file.Metadata!.Rule!.Option} {file.Metadata.Rule.Value}) encrypts no value in it";
                    // A folder holds files the rule's path_regex matches but that hold no secret (an RBAC Role named
                    // *secret*): a sops block on them would only look like protection. A file named on purpose gets
                    // what sops writes.
                    if (foundByRecursive)
                    {
                        notes.Add($"keyward: note: skipped {what}; it is left as it was");
                        continue;
                    }
                    console.Stderr.WriteLine($"keyward: warning: {what}; it is written with a sops block and every value in clear, as sops does");
                }
                written.Add((path, SopsCli.Written(io, file, path)));
            }
            SopsCli.CheckDestinations(written.Select(w => w.Path).ToList(), inPlace, output, secret: false);
            foreach (var note in notes)
                console.Stderr.WriteLine(note);
            foreach (var (path, content) in written)
            {
                SopsCli.Emit(console, path, content, inPlace, output, secret: false);
                // --recursive writes in place without -i: each file it changed is named.
                if (dirs.Length > 0)
                    console.Stderr.WriteLine($"keyward: encrypted \"{path}\"");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Values and comments in ciphertext form; a plaintext file can hold a few already, so the caller compares counts.</summary>
    private static int EncryptedValueCount(SopsFile file)
    {
        static int Count(SopsNode node) => node switch
        {
            SopsScalar s => s.IsEncrypted ? 1 : 0,
            SopsComment c => c.IsEncrypted ? 1 : 0,
            SopsEntry e => Count(e.Value),
            SopsMapping m => m.Items.Sum(Count),
            SopsSequence q => q.Items.Sum(Count),
            _ => 0,
        };
        return file.Documents.Sum(d => Count(d.Root));
    }

    /// <summary>
    /// A rule that does not select a Secret's values (encrypted_regex: ^data$ over stringData) leaves them in clear
    /// under a sops block that looks like encryption: sops writes it so, and so does keyward, but says which ones.
    /// </summary>
    private static void WarnAboutValuesInClear(CliConsole console, SopsFile file, string path)
    {
        foreach (var document in file.Documents)
        {
            var root = document.Root;
            if (root["kind"] is not SopsScalar { Text: "Secret" })
                continue;
            var clear = new List<string>();
            foreach (var field in (string[])["data", "stringData"])
            {
                if (root[field] is SopsMapping values)
                    clear.AddRange(values.Entries.Where(e => e.Value is SopsScalar { Text.Length: > 0, IsEncrypted: false }).Select(e => $"{field}.{e.Key}"));
            }
            if (clear.Count == 0)
                continue;
            var metadata = root["metadata"] as SopsMapping;
            var name = string.Join('/', new[] { metadata?["namespace"], metadata?["name"] }.OfType<SopsScalar>().Select(s => s.Text));
            var rule = file.Metadata?.Rule is { } r ? $" ({r.Option} {r.Value})" : "";
            console.Stderr.WriteLine($"keyward: warning: \"{path}\": Secret {name}: {string.Join(", ", clear)} {(clear.Count == 1 ? "is" : "are")} left in clear by the encryption rule{rule}");
            console.Stderr.WriteLine("keyward: hint: select them in the creation rule, e.g. encrypted_regex: ^(data|stringData)$, or give Secrets no rule (keyward then encrypts data and stringData)");
        }
    }

    /// <summary>
    /// A multi-document file gets one MAC over all its documents, as sops writes it (and reads it back). Flux's
    /// kustomize-controller splits the file into objects and decrypts each alone, so each fails that MAC.
    /// </summary>
    private static void WarnAboutSharedMac(CliConsole console, SopsFile file, string path)
    {
        int objects = SopsCli.ObjectCount(file);
        if (file.Store != StoreKind.Yaml || objects < 2)
            return;
        console.Stderr.WriteLine($"keyward: warning: \"{path}\" has {objects} YAML documents, which share one MAC (as sops writes them); "
            + "Flux's kustomize-controller decrypts each object separately and will reject this file");
        console.Stderr.WriteLine("keyward: hint: for Flux, put each Secret in its own file; keyward and sops decrypt this one as it is");
    }
}
