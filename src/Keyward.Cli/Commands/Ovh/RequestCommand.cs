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
            AtomicFile.CheckDestination(outputPath, writeOptions);
            var applicationKey = credentials.ReadApplicationKey(console, parse);
            string? applicationSecret = noWaiting ? null : credentials.ReadApplicationSecret(console, parse);
            var (http, client) = api.Build(console, parse);
            using (http)
            using (client)
            {
                var pending = client.RequestCredentialAsync(applicationKey, rules, parse.GetValue(redirection), parse.GetValue(allowedIp)).GetAwaiter().GetResult();
                // Written before waiting so that a timeout does not lose a key the user may still validate.
                AtomicFile.WriteAllBytes(outputPath, Encoding.UTF8.GetBytes(pending.ConsumerKey + "\n"), writeOptions);
                console.Stderr.WriteLine($"keyward: consumer key {SecretMask.Mask(pending.ConsumerKey)} written to \"{outputPath}\" ({pending.State}) with {rules.Count} rules, {RuleFingerprint.Compute(rules)}");
                console.Stderr.WriteLine("keyward: open this URL, log in, and set the validity (the guide recommends rotating every 90 days):");
                OvhConsole.WriteLine(console, pending.ValidationUrl.ToString());
                if (applicationSecret is null)
                    return ExitCodes.Success;

                using var creds = new OvhCredentials(applicationKey, applicationSecret, pending.ConsumerKey);
                console.Stderr.WriteLine($"keyward: waiting up to {OvhApiClient.Describe(timeout)} for the validation...");
                CurrentCredential current;
                try
                {
                    current = client.WaitForValidationAsync(creds, timeout, poll).GetAwaiter().GetResult();
                }
                catch (OvhValidationTimeoutException e)
                {
                    // Running request again would create a second key and leave this one pending: say where this one is.
                    throw new KeywardException(e.Message, $"the key is in \"{outputPath}\": open the validation URL, log in and set the validity, "
                        + $"then check it with keyward ovh inspect --consumer-key-file {outputPath} (running request again would create another key)", FailureKind.Failed, e);
                }
                return Validated(console, current, rules);
            }
        });
        return command;
    }

    /// <summary>Reports a validated key and checks its rules are the ones asked for.</summary>
    internal static int Validated(CliConsole console, CurrentCredential current, IReadOnlyList<AccessRule> rules, string? mismatchHint = null)
    {
        var expires = current.Expiration is { } e ? $"expires {e.UtcDateTime:yyyy-MM-dd HH:mm}Z" : "no expiry (rotate it every 90 days)";
        console.Stderr.WriteLine($"keyward: validated: credential {current.CredentialId}, {expires}");
        if (RuleFingerprint.Compute(current.Rules) != RuleFingerprint.Compute(rules))
        {
            console.Stderr.WriteLine("keyward: error: the validated credential's rules are not the ones requested");
            console.Stderr.WriteLine($"keyward: hint: {mismatchHint ?? "revoke it and request again; compare with keyward ovh inspect"}");
            return ExitCodes.Failure;
        }
        return ExitCodes.Success;
    }
}
