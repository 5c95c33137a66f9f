using System.CommandLine;
using Keyward.Core;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Storage;
using Keyward.Sops.Identities;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// <c>keyward ovh rotate FILE</c>: requests a new consumer key with the same rules as the one in the Secret file,
/// waits for its validation, rewrites the file for the same recipients, and prints how to revoke the old key once
/// the workloads run with the new one. The API region is the one the file records; a new key not validated in time
/// is kept in <c>FILE.pending</c> and the next run continues with it (<see cref="RotationRun"/>).
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
        var discardPending = new Option<bool>("--discard-pending") { Description = "Give up the key an earlier rotate left pending in FILE.pending (refused or expired) and request a new one" };
        var command = new Command("rotate", "Replace the consumer key in a Secret file by a new one with the same rules") { file, identity };
        api.AddTo(command);
        wait.AddTo(command);
        command.Options.Add(maxRisk);
        command.Options.Add(profileRules);
        command.Options.Add(discardPending);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            // Options are checked before the API is asked anything: a key requested and then lost to a typo stays pending.
            var max = parse.GetValue(maxRisk) is { } maxText ? OvhConsole.MaxRisk(maxText, RiskLevel.Minimal) : (RiskLevel?)null;
            var (timeout, poll) = wait.Read(parse);
            bool useProfileRules = parse.GetValue(profileRules);
            bool discard = parse.GetValue(discardPending);
            byte[] encrypted;
            try
            {
                encrypted = InputFile.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new KeywardException($"file \"{path}\" does not exist", "give the Secret file keyward ovh secret wrote", FailureKind.Usage, e);
            }
            using var identities = SopsIdentities.Load(IdentityEnvironment.FromProcess(console.Environment, console.ReadSecret), parse.GetValue(identity) ?? []);
            var (plaintext, target) = SopsSecretStore.Decrypt(encrypted, path, identities);
            var (metadata, old) = OvhSecretManifest.Read(plaintext, path);
            using (old)
            {
                var valuesIn = CredentialValues(console, path, plaintext, target);
                var endpoint = api.ResolveEndpoint(console, parse, metadata.Endpoint, path);
                var pending = PendingConsumerKey.Load(path, identities);
                // Both files are written after a key exists (FILE.pending at once, FILE once it is validated): a folder
                // that cannot take them is found before the key is requested.
                AtomicFile.CheckWritable(path);
                AtomicFile.CheckWritable(PendingConsumerKey.PathFor(path), AtomicWriteOptions.Private);
                var (http, client) = api.Build(console, parse, endpoint);
                using (http)
                using (client)
                {
                    var run = new RotationRun(console, path, metadata, old, target, valuesIn, client, timeout, poll);
                    if (pending is not null && run.CompletedEarlier(pending, discard))
                        return ExitCodes.Success;
                    if (pending is not null)
                    {
                        if (run.Resume(pending, discard) is { } validated)
                        {
                            if (useProfileRules || max is not null)
                                console.Stderr.WriteLine("keyward: note: --profile-rules and --max-risk choose the rules of a new key; the pending key keeps the rules it was requested with");
                            return run.Finish(validated, pending);
                        }
                    }
                    else if (discard)
                    {
                        console.Stderr.WriteLine($"keyward: note: no pending key beside \"{path}\"; --discard-pending has nothing to discard");
                    }

                    var (oldRules, oldId) = run.ReadOldKey(useProfileRules);
                    if (oldRules.Count == 0)
                        throw new KeywardException($"\"{path}\" records no rules and the old key cannot be read", "request a new key with keyward ovh request --profile instead");
                    var (rules, profileName) = RotationRules.Choose(console, path, metadata, oldRules, max, useProfileRules);
                    return run.RequestAndFinish(rules, profileName, oldId, useProfileRules ? "the profile's" : "the same");
                }
            }
        });
        return command;
    }

    /// <summary>
    /// Where the rewritten file puts the credential: where the file's own SOPS rule (kept on rotation) encrypts it. A
    /// rule that encrypts neither map is refused before anything is requested; a file that held the values in clear
    /// (written so by an earlier keyward) is said to, since rotating the consumer key does not take them back.
    /// </summary>
    private static string CredentialValues(CliConsole console, string path, string plaintext, SopsTarget target)
    {
        var valuesIn = CredentialPlacement.Choose(target.Rule, $"\"{path}\"",
            $"the rule is kept from the file's sops metadata: write the file again with a creation rule that encrypts the Secret's values, e.g. encrypted_regex: ^(data|stringData)$ "
            + $"(keyward ovh secret --force -o {path} ... with the current key), then rotate");
        if (OvhSecretManifest.ValuesIn(plaintext, path) is { } before && CredentialPlacement.ClearFields(target.Rule, before) is { Count: > 0 } clear)
            console.Stderr.WriteLine($"keyward: warning: \"{path}\" holds {string.Join(", ", clear.Select(f => $"{before}.{f}"))} in clear: its rule ({target.Rule.Option}: {target.Rule.Value}) "
                + $"does not encrypt {before}. The rewritten file puts them under {valuesIn}, which it does encrypt, but the old values stay readable wherever the file was committed or copied: "
                + "revoke the old key after the rollout as below, and if others could read them, replace the application too (rotation keeps its secret)");
        return valuesIn;
    }
}
