using System.CommandLine;
using Keyward.Core;
using Keyward.Sealing;

namespace Keyward.Cli.Commands.Sealing;

/// <summary>
/// <c>keyward seal</c>: Secret manifests in, SealedSecrets out, offline from the controller's certificate as kubeseal
/// does; <c>--raw</c> seals one value, <c>--merge-into</c> updates an existing SealedSecret, <c>--verify</c> checks one.
/// </summary>
internal static class SealCommand
{
    public static Command Create(CliConsole console)
    {
        var cert = new Option<string?>("--cert") { Description = "The controller's public certificate (kubeseal --fetch-cert > cert.pem): a file, a file:// URL or an http(s):// URL", HelpName = "CERT.pem" };
        var scope = new Option<string?>("--scope") { Description = "strict (default; namespace and name fixed), namespace-wide or cluster-wide; default: the Secret's scope annotations", HelpName = "SCOPE" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to OUTPUT (atomically); \"-\" for stdout", HelpName = "OUTPUT" };
        var format = new Option<string?>("--format", "-f") { Description = "Output format: yaml (default) or json", HelpName = "FORMAT" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Namespace for a Secret without one (required with --raw unless cluster-wide)", HelpName = "NAMESPACE" };
        var name = new Option<string?>("--name") { Description = "Name for a Secret without one (required with --raw for strict scope)", HelpName = "NAME" };
        var raw = new Option<bool>("--raw") { Description = "Seal one value (from stdin, asked without echo when stdin is a terminal, or from --from-file) and print it base64-encoded, for hand-editing a SealedSecret" };
        var fromFile = new Option<string?>("--from-file") { Description = "With --raw: read the value from FILE instead of stdin", HelpName = "FILE" };
        var mergeInto = new Option<string?>("--merge-into") { Description = "Add or replace the Secret's keys in this SealedSecret file, in place, leaving its other keys alone", HelpName = "SEALED.yaml" };
        var verify = new Option<bool>("--verify") { Description = "Check that every value of the SealedSecrets in FILE opens with --key" };
        var key = new Option<string[]>("--key") { Description = "With --verify: the controller's private key or key backup; repeatable", HelpName = "KEY.pem" };
        var strictCert = new Option<bool>("--strict-cert") { Description = "Refuse an expired or not-yet-valid certificate instead of warning" };
        var identity = new Option<string[]>("--identity", "-i") { Description = "age identity file for a SOPS-encrypted input (also SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt); repeatable", HelpName = "PATH" };
        var allowEmpty = new Option<bool>("--allow-empty-data") { Description = "Seal a Secret that has no keys" };
        var input = new Argument<string?>("FILE") { Description = "Secret manifest, YAML or JSON, several documents allowed, SOPS-encrypted or not (default: stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("seal", "Seal Kubernetes Secrets into SealedSecrets for the Sealed Secrets controller, offline")
        {
            cert, scope, output, format, ns, name, raw, fromFile, mergeInto, verify, key, strictCert, identity, allowEmpty, input,
        };
        command.SetAction(parse =>
        {
            var inputPath = parse.GetValue(input);
            SealingIo.RejectFlag(inputPath);
            if (parse.GetValue(verify))
            {
                Exclusive(parse.GetValue(raw), "--raw", "--verify");
                Exclusive(parse.GetValue(mergeInto) is not null, "--merge-into", "--verify");
                return SealModes.Verify(console, inputPath, parse.GetValue(key) ?? []);
            }
            if ((parse.GetValue(key) ?? []).Length > 0)
                throw new KeywardException("--key is only for --verify", "sealing needs only the certificate: --cert CERT.pem", FailureKind.Usage);

            var scopeText = parse.GetValue(scope);
            var options = new SealOptions
            {
                Scope = scopeText is null ? null : SealingScopes.Parse(scopeText),
                Namespace = parse.GetValue(ns),
                Name = parse.GetValue(name),
                AllowEmptyData = parse.GetValue(allowEmpty),
            };
            var certificate = SealingIo.LoadCertificate(console, parse.GetValue(cert), parse.GetValue(strictCert));
            if (parse.GetValue(raw))
            {
                Exclusive(parse.GetValue(mergeInto) is not null, "--raw", "--merge-into");
                if (inputPath is not null)
                    throw new KeywardException("--raw reads its value from stdin or --from-file, not from FILE", "use --from-file FILE", FailureKind.Usage);
                return SealModes.Raw(console, new Sealer(certificate, options), options, parse.GetValue(fromFile), parse.GetValue(output));
            }
            if (parse.GetValue(fromFile) is not null)
                throw new KeywardException("--from-file is only for --raw", "pass the Secret manifest as FILE", FailureKind.Usage);
            if (parse.GetValue(mergeInto) is { } target)
            {
                if (parse.GetValue(output) is not null)
                    throw new KeywardException("--merge-into updates its file in place; -o does not apply",
                        "drop -o; to keep the original, copy it first and merge into the copy", FailureKind.Usage);
                return SealModes.Merge(console, certificate, options, inputPath, target, parse.GetValue(identity) ?? []);
            }

            var outputFormat = SealingIo.ParseFormat(parse.GetValue(format));
            var sealer = new Sealer(certificate, options);
            var secrets = SealingIo.ReadSecrets(console, inputPath, parse.GetValue(identity) ?? []);
            try
            {
                var sealedSecrets = sealer.SealAll(secrets);
                SealingIo.WriteOutput(console, parse.GetValue(output), inputPath, ManifestWriter.ToText(sealedSecrets, outputFormat));
            }
            finally
            {
                foreach (var secret in secrets)
                    secret.Dispose();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Exclusive(bool both, string a, string b)
    {
        if (both)
            throw new KeywardException($"{a} and {b} can't be combined", $"use {a} or {b}, in two runs if you need both", FailureKind.Usage);
    }
}
