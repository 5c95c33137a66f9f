using System.CommandLine;
using Keyward.Core;
using Keyward.Ovh.Api;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Storage;
using Keyward.Sops.Identities;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// <c>keyward ovh rotate FILE</c>: requests a new consumer key with the same rules as the one in the Secret file,
/// waits for its validation, rewrites the file for the same recipients, and prints how to revoke the old key once
/// the workloads run with the new one.
/// </summary>
internal static class RotateCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("FILE") { Description = "The SOPS-encrypted Secret written by keyward ovh secret" };
        var identity = new Option<string[]>("--identity", "-i") { Description = "Age identity file to decrypt FILE (besides SOPS_AGE_KEY_FILE and the usual places); repeatable", HelpName = "PATH" };
        var api = new ApiOptions("API region (ovh-eu, ovh-ca, ovh-us) or base URL; default the one FILE records (keyward.io/ovh-endpoint), which this may not contradict");
        var wait = new WaitOptions();
        var maxRisk = OvhConsole.MaxRiskOption("the level of the file's profile, or minimal");
        var profileRules = new Option<bool>("--profile-rules") { Description = "Give the new key the rules of the profile the file names (ids read from the file) instead of the old key's" };
        var command = new Command("rotate", "Replace the consumer key in a Secret file by a new one with the same rules") { file, identity };
        api.AddTo(command);
        wait.AddTo(command);
        command.Options.Add(maxRisk);
        command.Options.Add(profileRules);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            // Options are checked before the API is asked anything: a key requested and then lost to a typo stays pending.
            var max = parse.GetValue(maxRisk) is { } maxText ? OvhConsole.MaxRisk(maxText, RiskLevel.Minimal) : (RiskLevel?)null;
            var (timeout, poll) = wait.Read(parse);
            byte[] encrypted;
            try
            {
                encrypted = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new KeywardException($"file \"{path}\" does not exist", "give the Secret file keyward ovh secret wrote", FailureKind.Usage, e);
            }
            var identities = SopsIdentities.Load(IdentityEnvironment.FromProcess(console.Environment, console.ReadSecret), parse.GetValue(identity) ?? []);
            var (plaintext, target) = SopsSecretStore.Decrypt(encrypted, path, identities);
            var (metadata, old) = OvhSecretManifest.Read(plaintext, path);
            using (old)
            {
                // The region the file records: a consumer key exists in one region only (EndpointChoice decides).
                var endpoint = api.ResolveEndpoint(console, parse, metadata.Endpoint, path);
                var (http, client) = api.Build(console, parse, endpoint);
                using (http)
                using (client)
                {
                    var rules = metadata.Rules;
                    long? oldId = metadata.CredentialId;
                    try
                    {
                        var current = client.GetCurrentCredentialAsync(old).GetAwaiter().GetResult();
                        rules = current.Rules;
                        oldId = current.CredentialId;
                        if (metadata.Rules.Count > 0 && RuleFingerprint.Compute(rules) != metadata.RulesFingerprint)
                            console.Stderr.WriteLine(parse.GetValue(profileRules)
                                ? "keyward: warning: the old key's rules differ from the file's annotation"
                                : "keyward: warning: the old key's rules differ from the file's annotation; the new key gets the old key's rules, if they grade within the limit");
                    }
                    catch (OvhApiException e) when (e.ErrorKind == OvhErrorKind.InvalidCredential)
                    {
                        console.Stderr.WriteLine("keyward: warning: the old consumer key is no longer valid; using the rules recorded in the file");
                    }
                    if (rules.Count == 0)
                        throw new KeywardException($"\"{path}\" records no rules and the old key cannot be read", "request a new key with keyward ovh request --profile instead");
                    bool useProfileRules = parse.GetValue(profileRules);
                    (rules, var profileName) = RotationRules.Choose(console, path, metadata, rules, max, useProfileRules);

                    var pending = client.RequestCredentialAsync(old.ApplicationKey, rules).GetAwaiter().GetResult();
                    console.Stderr.WriteLine($"keyward: new consumer key {SecretMask.Mask(pending.ConsumerKey)} requested with {(useProfileRules ? $"the profile's {rules.Count}" : $"the same {rules.Count}")} rules; open this URL, log in and set the validity:");
                    OvhConsole.WriteLine(console, pending.ValidationUrl.ToString());
                    using var fresh = new OvhCredentials(old.ApplicationKey, old.RevealApplicationSecret(), pending.ConsumerKey);
                    var validated = client.WaitForValidationAsync(fresh, timeout, poll).GetAwaiter().GetResult();
                    if (RequestCommand.Validated(console, validated, rules) != ExitCodes.Success)
                        return ExitCodes.Failure;

                    var updated = metadata with { Profile = profileName, Rules = validated.Rules, CreatedAt = console.Time.GetUtcNow(), CredentialId = validated.CredentialId, Endpoint = client.Endpoint.Name };
                    var manifest = OvhSecretManifest.Build(updated, fresh);
                    AtomicFile.WriteAllBytes(path, SopsSecretStore.Encrypt(manifest, path, target, console.Time));
                    console.Stderr.WriteLine($"keyward: updated \"{path}\" for the same {target.RecipientCount} age recipient(s); commit it and let it roll out");
                    console.Stderr.WriteLine($"keyward: after the rollout (e.g. kubectl rollout restart deployment -n {metadata.Namespace} <workload>), revoke the old key:");
                    OvhConsole.WriteLine(console, oldId is { } id
                        ? $"DELETE {client.Endpoint.UrlOf($"/me/api/credential/{id}")}"
                        : "POST " + client.Endpoint.UrlOf("/auth/logout") + " (signed with the old consumer key)");
                    return ExitCodes.Success;
                }
            }
        });
        return command;
    }
}
