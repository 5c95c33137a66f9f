using System.CommandLine;
using System.Text;
using Keyward.Core;
using Keyward.Ovh.Api;
using Keyward.Ovh.Rules;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// <c>keyward ovh request --profile P ... -o FILE</c>: asks for a consumer key with exactly the profile's rules, prints
/// the validation URL, writes the key (0600) and waits until the user has validated it.
/// </summary>
internal static class RequestCommand
{
    public static Command Create(CliConsole console)
    {
        var profile = new ProfileOptions();
        var api = new ApiOptions();
        var wait = new WaitOptions();
        var credentials = new OvhCredentialInput();
        var output = new Option<string>("--output", "-o") { Description = "Write the new consumer key to FILE (mode 0600)", HelpName = "FILE", Required = true };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the validation URL and exit without waiting" };
        var redirection = new Option<string?>("--redirection") { Description = "Page the validation sends the user to afterwards", HelpName = "URL" };
        var allowedIp = new Option<string[]>("--allowed-ip") { Description = "Restrict the key to this CIDR; repeatable", HelpName = "CIDR" };
        var force = new Option<bool>("--force") { Description = "Replace FILE if it exists (it may hold a key in use)" };
        var command = new Command("request", "Request a consumer key with exactly a profile's rules (POST /auth/credential) and wait for its validation");
        profile.AddTo(command, required: true);
        api.AddTo(command);
        wait.AddTo(command);
        credentials.AddTo(command, consumerKey: false);
        command.Options.Add(output);
        command.Options.Add(noWait);
        command.Options.Add(redirection);
        command.Options.Add(allowedIp);
        command.Options.Add(force);
        command.SetAction(parse =>
        {
            var chosen = profile.Find(parse)!;
            var rules = chosen.Instantiate(profile.Values(parse), profile.Options(parse), requireAll: true);
            var outputPath = parse.GetValue(output)!;
            var writeOptions = AtomicWriteOptions.Private with
            {
                Overwrite = parse.GetValue(force),
                OverwriteHint = "it may hold a consumer key in use: choose another path, or pass --force to replace it",
            };
            bool noWaiting = parse.GetValue(noWait);
            // Everything that can be wrong with the command is found before the key exists: a key created and then
            // lost to a typo stays pending on the account, and the user never sees it.
            var (timeout, poll) = wait.Read(parse);
            // A temporary file is created and removed in the folder: a read-only or full file system, or a folder not
            // writable, is found now rather than after the key exists.
            AtomicFile.CheckWritable(outputPath, writeOptions);
            var applicationKey = credentials.ReadApplicationKey(console, parse);
            string? applicationSecret = noWaiting ? null : credentials.ReadApplicationSecret(console, parse);
            var (http, client) = api.Build(console, parse);
            using (http)
            using (client)
            {
                var pending = client.RequestCredentialAsync(applicationKey, rules, parse.GetValue(redirection), parse.GetValue(allowedIp)).GetAwaiter().GetResult();
                // Written before waiting so that a timeout does not lose a key the user may still validate.
                Save(console, outputPath, pending, writeOptions);
                console.Stderr.WriteLine($"keyward: consumer key {SecretMask.Mask(pending.ConsumerKey)} written to \"{outputPath}\" ({pending.State}) with {rules.Count} rules, {RuleFingerprint.Compute(rules)}");
                console.Stderr.WriteLine($"keyward: {KeyValidity.ChooseUnlimited}");
                OvhConsole.WriteLine(console, pending.ValidationUrl.ToString());
                if (applicationSecret is null)
                    return ExitCodes.Success;

                using var creds = new OvhCredentials(applicationKey, applicationSecret, pending.ConsumerKey);
                // Said before the wait, so that a run stopped by Ctrl-C or a closed terminal has said it too.
                var kept = $"the key is in \"{outputPath}\": open the validation URL, log in and set the validity, "
                    + $"then check it with keyward ovh inspect --consumer-key-file {outputPath} (running request again would create another key)";
                console.Stderr.WriteLine($"keyward: waiting up to {OvhApiClient.Describe(timeout)} for the validation (if you stop waiting, {kept})...");
                CurrentCredential current;
                try
                {
                    current = client.WaitForValidationAsync(creds, timeout, poll, onTransientFailure: (e, retry) =>
                        console.Stderr.WriteLine($"keyward: note: {e.Message}; looking again in {OvhApiClient.Describe(retry)}")).GetAwaiter().GetResult();
                }
                catch (KeywardException e)
                {
                    // Running request again would create a second key and leave this one pending: say where this one is.
                    var why = e is OvhValidationTimeoutException || e.Hint is null ? "" : e.Hint.TrimEnd('.') + "; ";
                    throw new KeywardException(e.Message, why + kept, e.Kind, e);
                }
                var id = current.CredentialId;
                return Validated(console, current, rules,
                    $"revoke it ({(id > 0 ? $"DELETE {client.Endpoint.UrlOf($"/me/api/credential/{id}")}" : "on the console's \"API keys\" page")}) and request again; "
                    + $"\"{outputPath}\" now holds it, so pass --force to replace it (compare with keyward ovh inspect --consumer-key-file {outputPath})");
            }
        });
        return command;
    }

    /// <summary>
    /// Writes the new key to FILE. The folder was checked before the key was requested; should the write still fail,
    /// the key exists on the account all the same, so its validation URL is shown and the error says so.
    /// </summary>
    private static void Save(CliConsole console, string outputPath, PendingCredential pending, AtomicWriteOptions writeOptions)
    {
        try
        {
            AtomicFile.WriteAllBytes(outputPath, Encoding.UTF8.GetBytes(pending.ConsumerKey + "\n"), writeOptions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeywardException)
        {
            OvhConsole.WriteLine(console, pending.ValidationUrl.ToString());
            throw new KeywardException($"a consumer key {SecretMask.Mask(pending.ConsumerKey)} was created (its validation URL is above), but \"{outputPath}\" could not be written: {KeywardException.Plain(e)}",
                "do not validate that key: it was not saved, so nothing can use it, and left unvalidated it lapses on its own; fix the output and run request again", FailureKind.Failed, e);
        }
    }

    /// <summary>Reports a validated key and checks its rules are the ones asked for.</summary>
    internal static int Validated(CliConsole console, CurrentCredential current, IReadOnlyList<AccessRule> rules, string? mismatchHint = null)
    {
        var expires = current.Expiration is { } e ? $"expires {KeyValidity.Date(e)}" : "no expiry (rotate it every 90 days)";
        console.Stderr.WriteLine($"keyward: validated: credential {current.CredentialId}, {expires}");
        KeyValidity.WarnIfLimited(console, current.Expiration);
        if (RuleFingerprint.Compute(current.Rules) != RuleFingerprint.Compute(rules))
        {
            console.Stderr.WriteLine("keyward: error: the validated credential's rules are not the ones requested");
            console.Stderr.WriteLine($"keyward: hint: {mismatchHint ?? "revoke it and request again; compare with keyward ovh inspect"}");
            return ExitCodes.Failure;
        }
        return ExitCodes.Success;
    }
}
