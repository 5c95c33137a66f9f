using System.CommandLine;
using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Metadata;
using Keyward.Sops.Stores;

namespace Keyward.Cli.Commands.Sops;

/// <summary><c>keyward encrypt</c>: sops's encrypt, with several files, --recursive, and the Kubernetes Secret default.</summary>
internal static class EncryptCommand
{
    public static Command Create(CliConsole console)
    {
        var o = new SopsOptions();
        var age = new Option<string?>("--age") { Description = "Comma-separated age recipients (replace the creation rule's keys)", HelpName = "RECIPIENTS" };
        var recursive = new Option<string[]>("--recursive") { Description = "Encrypt files under DIR that a creation rule matches", HelpName = "DIR" };
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
            var io = o.Context(parse, console);
            var named = parse.GetValue(files) ?? [];
            var dirs = parse.GetValue(recursive) ?? [];
            var list = SopsCli.Files(named, dirs, f => io.LoadConfig(f)?.Match(f) is not null && !SopsCli.LooksEncrypted(f));
            bool inPlace = parse.GetValue(o.InPlace) || dirs.Length > 0 || list.Count > 1;
            if (!inPlace && list.Count > 1)
                throw new KeywardException("several files need --in-place", null, FailureKind.Usage);
            var flagRules = rules.Select((r, i) => (CryptRule.Options[i], parse.GetValue(r))).Where(x => x.Item2 is not null).ToList();
            if (flagRules.Count > 1)
                throw new KeywardException($"--{flagRules[0].Item1.Replace('_', '-')} and --{flagRules[1].Item1.Replace('_', '-')} cannot be combined", "sops allows one encryption rule", FailureKind.Usage);
            bool toldKubernetes = false;
            foreach (var path in list)
            {
                var file = SopsCli.Read(io, path, encrypted: false);
                if (file.Metadata is not null)
                    throw new KeywardException($"\"{path}\" is already encrypted", "use keyward edit or set to change it, or decrypt it first", FailureKind.Usage);
                var config = io.LoadConfig(path);
                var rule = config?.Match(path);
                CryptRule? crypt = flagRules.Count == 1 ? new CryptRule(flagRules[0].Item1, flagRules[0].Item2!) : rule?.Rule;
                if (crypt is null && SopsCli.IsKubernetesSecret(file))
                {
                    crypt = CryptRule.KubernetesSecret;
                    if (!toldKubernetes)
                        console.Stderr.WriteLine("keyward: note: Kubernetes Secret: encrypting only data and stringData (encrypted_regex ^(data|stringData)$), so Flux can read apiVersion, kind and metadata");
                    toldKubernetes = true;
                }
                if (config?.YamlIndent is { } yi && file.Store == StoreKind.Yaml)
                    file.Layout = file.Layout with { Indent = yi };
                if (config?.JsonIndent is { } ji && file.Store is StoreKind.Json)
                    file.Layout = file.Layout with { Indent = ji };
                SopsEngine.Encrypt(file, new EncryptionSettings
                {
                    AgeKeyGroups = SopsCli.KeyGroups(parse.GetValue(age), rule, path),
                    ShamirThreshold = parse.GetValue(threshold) ?? rule?.ShamirThreshold,
                    Rule = crypt,
                    MacOnlyEncrypted = parse.GetValue(macOnly) || rule?.MacOnlyEncrypted == true,
                    Time = console.Time,
                });
                SopsCli.Emit(console, path, Stores.For(file.Store).Write(file), inPlace, parse.GetValue(o.Output), secret: false);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
