using System.CommandLine;
using Keyward.Core;
using Keyward.Ovh.Api;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Storage;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// <c>keyward ovh secret --namespace NS -o FILE</c>: the Kubernetes Secret holding the credential, SOPS-encrypted
/// with the repository's age recipients; plaintext only with <c>--plaintext</c>, and then only to stdout.
/// </summary>
internal static class SecretCommand
{
    public static Command Create(CliConsole console)
    {
        var profile = new ProfileOptions();
        var api = new ApiOptions();
        var credentials = new OvhCredentialInput();
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace of the Secret (karpenter for the Karpenter chart)", HelpName = "NAMESPACE", Required = true };
        var name = new Option<string>("--name") { Description = "Name of the Secret", HelpName = "NAME", DefaultValueFactory = _ => "ovh-credentials" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the SOPS-encrypted Secret to FILE", HelpName = "FILE" };
        var age = new Option<string[]>("--age") { Description = "Encrypt to this age recipient instead of the .sops.yaml creation rule; repeatable", HelpName = "RECIPIENT" };
        var config = new Option<string?>("--sops-config", "--config") { Description = "The .sops.yaml to take recipients from (default: found above the output file)", HelpName = "FILE" };
        var plaintext = new Option<bool>("--plaintext") { Description = "Print the Secret unencrypted to stdout (never to a file)" };
        var offline = new Option<bool>("--offline") { Description = "Do not ask the API for the credential's rules; record the profile's rules instead" };
        var force = new Option<bool>("--force") { Description = "Replace FILE if it exists (it may hold a consumer key in use)" };
        var command = new Command("secret", "Write the credential as a SOPS-encrypted Kubernetes Secret, annotated for audit and rotation");
        profile.AddTo(command, required: false);
        api.AddTo(command);
        credentials.AddTo(command);
        command.Options.Add(ns);
        command.Options.Add(name);
        command.Options.Add(output);
        command.Options.Add(age);
        command.Options.Add(config);
        command.Options.Add(plaintext);
        command.Options.Add(offline);
        command.Options.Add(force);
        command.SetAction(parse =>
        {
            var outputPath = parse.GetValue(output);
            bool plain = parse.GetValue(plaintext);
            if (plain == (outputPath is not null))
                throw new KeywardException(plain ? "--plaintext writes to stdout only; it cannot be combined with -o" : "missing -o FILE",
                    plain ? "drop -o, or drop --plaintext to write an encrypted file" : "give the file for the encrypted Secret, or --plaintext to print it", FailureKind.Usage);
            var chosen = profile.Find(parse);
            var endpoint = api.ResolveEndpoint(console, parse);
            // Resolve recipients first: a missing .sops.yaml should fail before anything is asked for.
            var target = outputPath is null ? null : SopsSecretStore.Resolve(outputPath, parse.GetValue(age) ?? [], parse.GetValue(config));
            // The values go where the rule encrypts them, or nowhere: a rule that selects only data (kubectl's Secrets)
            // or some suffix would otherwise leave them in clear in a file that looks encrypted.
            var valuesIn = target is null ? CredentialPlacement.StringData
                : CredentialPlacement.Choose(target.Rule, $"the .sops.yaml creation rule for \"{outputPath}\"", CredentialPlacement.RuleHint);
            // As request -o: an existing file may hold another live key, which would be lost.
            var writeOptions = new AtomicWriteOptions
            {
                Overwrite = parse.GetValue(force),
                OverwriteHint = "it may hold a consumer key in use: choose another path, or pass --force to replace it (keyward ovh rotate FILE renews the key a file holds)",
            };
            if (outputPath is not null)
                AtomicFile.CheckDestination(outputPath, writeOptions);

            using var creds = credentials.ReadAll(console, parse);
            IReadOnlyList<AccessRule> rules;
            long? credentialId = null;
            DateTimeOffset? expires = null;
            string? recordedProfile = chosen?.Name;
            if (parse.GetValue(offline))
            {
                if (chosen is null)
                    throw new KeywardException("--offline needs --profile to know the rules", "or drop --offline to read them from the API", FailureKind.Usage);
                rules = chosen.Instantiate(profile.Values(parse), profile.Options(parse), requireAll: true);
            }
            else
            {
                var (http, client) = api.Build(console, parse, endpoint);
                using (http)
                using (client)
                {
                    var current = client.GetCurrentCredentialAsync(creds).GetAwaiter().GetResult();
                    if (current.Status != CurrentCredential.Validated)
                        throw new KeywardException($"the consumer key is {current.Status}", "validate it first (keyward ovh request waits for that)");
                    rules = current.Rules;
                    credentialId = current.CredentialId;
                    expires = current.Expiration;
                }
                if (chosen is not null)
                {
                    var diff = ProfileDiff.Compare(chosen, profile.Values(parse), profile.Options(parse), rules);
                    if (!diff.Exact)
                    {
                        console.Stderr.WriteLine($"keyward: warning: the credential's rules differ from {chosen.Name}:");
                        foreach (var m in diff.Missing)
                            console.Stderr.WriteLine($"keyward: warning:   will fail: {m.Method} {m.Path}");
                        foreach (var x in diff.Excess)
                            console.Stderr.WriteLine($"keyward: warning:   grants more than needed: {x.Rule} ({x.Grade.Level.Name()})");
                    }
                    // The annotation says what the rules are, so it names the profile only when they are its rules
                    // (for some ids): an audit or a rotation trusts that name.
                    if (chosen.Match(rules) is null)
                    {
                        console.Stderr.WriteLine($"keyward: warning: the file will not name {chosen.Name}: the credential's rules are not its rules");
                        recordedProfile = null;
                    }
                }
                else
                {
                    recordedProfile = RecognizedProfile(console, rules);
                }
            }

            var metadata = new OvhSecretMetadata(parse.GetValue(name)!, parse.GetValue(ns)!, recordedProfile, endpoint.Name, rules, console.Time.GetUtcNow(), credentialId, expires);
            KeyValidity.WarnIfLimited(console, expires,
                $"the file records {OvhSecretManifest.ExpiresAnnotation} and {OvhSecretManifest.RotateByAnnotation} {metadata.RotateBy.UtcDateTime:yyyy-MM-dd HH:mm}Z, so that keyward audit (KW902) reports it in time");
            var manifest = OvhSecretManifest.Build(metadata, creds, valuesIn);
            if (plain)
            {
                console.Stderr.WriteLine("keyward: warning: printing the Secret in plaintext; do not commit it or paste it into a shell");
                OvhConsole.WriteLine(console, manifest.TrimEnd('\n'));
                return ExitCodes.Success;
            }
            var encrypted = SopsSecretStore.Encrypt(manifest, outputPath!, target!, console.Time);
            AtomicFile.WriteAllBytes(outputPath!, encrypted, writeOptions);
            if (valuesIn != CredentialPlacement.StringData)
                console.Stderr.WriteLine($"keyward: note: the values are under {valuesIn} (base64), which the creation rule ({target!.Rule.Option}: {target.Rule.Value}) encrypts, rather than stringData, which it does not");
            console.Stderr.WriteLine($"keyward: wrote {metadata.Namespace}/{metadata.Name} to \"{outputPath}\", encrypted to {Plural.Count(target!.RecipientCount, "age recipient")}; rotate by {metadata.RotateBy.UtcDateTime:yyyy-MM-dd}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Without --profile, the profile whose rules the credential's are exactly, said in a note; otherwise a warning
    /// that the file names none, since rotation then grades against minimal and cannot renew to a profile's rules.
    /// </summary>
    private static string? RecognizedProfile(CliConsole console, IReadOnlyList<AccessRule> rules)
    {
        if (BuiltInProfiles.Recognize(rules) is { } found)
        {
            var ids = string.Join(", ", found.Match.Values.Select(v => $"{v.Key} {v.Value}"));
            var options = found.Match.Options.Count > 0 ? $", with {string.Join(", ", found.Match.Options)}" : "";
            console.Stderr.WriteLine($"keyward: note: the credential's rules are exactly {found.Profile.Name}'s ({ids}{options}); the file names that profile");
            return found.Profile.Name;
        }
        console.Stderr.WriteLine($"keyward: warning: the credential's rules are not a built-in profile's, so the file has no {OvhSecretManifest.ProfileAnnotation} annotation: "
            + "rotate grades them against minimal and cannot renew them to a profile's (keyward ovh diff --profile P shows how they differ)");
        return null;
    }
}
