using System.CommandLine;
using Keyward.Sealing;

namespace Keyward.Cli.Commands.Sealing;

/// <summary>
/// <c>keyward unseal</c>: SealedSecrets back to Secrets with the controller's private keys, for disaster recovery
/// (kubeseal --recovery-unseal). The output holds plaintext secrets: files are written 0600.
/// </summary>
internal static class UnsealCommand
{
    public static Command Create(CliConsole console)
    {
        var key = new Option<string[]>("--key") { Description = "The controller's private key (PEM) or key backup (kubectl get secret -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml); repeatable", HelpName = "KEY.pem" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the Secrets to OUTPUT (atomically, mode 0600); \"-\" for stdout", HelpName = "OUTPUT" };
        var format = new Option<string?>("--format", "-f") { Description = "Output format: yaml (default) or json", HelpName = "FORMAT" };
        var input = new Argument<string?>("FILE") { Description = "SealedSecret manifest, several documents allowed (default: stdin)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("unseal", "Decrypt SealedSecrets back to Secrets with the controller's private key (disaster recovery)")
        {
            key, output, format, input,
        };
        command.SetAction(parse =>
        {
            var inputPath = parse.GetValue(input);
            SealingIo.RejectFlag(inputPath);
            var outputFormat = SealingIo.ParseFormat(parse.GetValue(format));
            var unsealer = new Unsealer(SealingIo.LoadKeys(parse.GetValue(key) ?? []));
            var warnings = new List<string>();
            var sealedSecrets = SealingIo.ReadManifests(console, inputPath).Select(SealedSecretManifest.FromDocument).ToList();
            var secrets = unsealer.UnsealAll(sealedSecrets, warnings);
            foreach (var warning in warnings)
                console.Stderr.WriteLine($"keyward: warning: {warning}");
            SealingIo.WriteOutput(console, parse.GetValue(output), inputPath, ManifestWriter.ToText(secrets, outputFormat), secret: true);
            return ExitCodes.Success;
        });
        return command;
    }
}
