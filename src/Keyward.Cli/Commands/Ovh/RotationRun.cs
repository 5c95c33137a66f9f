using Keyward.Core;
using Keyward.Ovh.Api;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;
using Keyward.Ovh.Storage;

namespace Keyward.Cli.Commands.Ovh;

/// <summary>
/// One rotation of a Secret file: the old key's rules, the new key (requested now, or left pending by an earlier run
/// in <c>FILE.pending</c>), and the file written again. The new key is saved before its validation URL is shown, so a
/// timeout or an interruption never loses it, and the next run continues with it instead of requesting a second one.
/// </summary>
internal sealed class RotationRun(CliConsole console, string path, OvhSecretMetadata metadata, OvhCredentials old, SopsTarget target,
    string valuesIn, OvhApiClient client, TimeSpan timeout, TimeSpan poll)
{
    private string PendingPath => PendingConsumerKey.PathFor(path);

    /// <summary>The old key's rules and credential id, from the API, or from the file when the old key no longer works.</summary>
    public (IReadOnlyList<AccessRule> Rules, long? OldId) ReadOldKey(bool useProfileRules)
    {
        try
        {
            var current = client.GetCurrentCredentialAsync(old).GetAwaiter().GetResult();
            if (metadata.Rules.Count > 0 && RuleFingerprint.Compute(current.Rules) != metadata.RulesFingerprint)
                console.Stderr.WriteLine(useProfileRules
                    ? "keyward: warning: the old key's rules differ from the file's annotation"
                    : "keyward: warning: the old key's rules differ from the file's annotation; the new key gets the old key's rules, if they grade within the limit");
            return (current.Rules, current.CredentialId);
        }
        catch (OvhApiException e) when (e.ErrorKind == OvhErrorKind.InvalidCredential)
        {
            console.Stderr.WriteLine("keyward: warning: the old consumer key is no longer valid; using the rules recorded in the file");
            return (metadata.Rules, metadata.CredentialId);
        }
    }

    /// <summary>Requests a key with <paramref name="rules"/>, keeps it in FILE.pending, waits for it and writes FILE.</summary>
    public int RequestAndFinish(IReadOnlyList<AccessRule> rules, string? profile, long? oldId, string whichRules)
    {
        var requested = client.RequestCredentialAsync(old.ApplicationKey, rules).GetAwaiter().GetResult();
        var pending = new PendingConsumerKey(Path.GetFileName(path), client.Endpoint.Name, old.ApplicationKey, requested.ConsumerKey,
            requested.ValidationUrl, rules, profile, oldId, PendingConsumerKey.KeyDigest(old), console.Time.GetUtcNow());
        try
        {
            pending.Save(path, target, console.Time);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeywardException)
        {
            // The folder was checked before the request; if the write fails all the same, the key exists: say so.
            OvhConsole.WriteLine(console, pending.ValidationUrl.ToString());
            throw new KeywardException($"a new consumer key {SecretMask.Mask(pending.ConsumerKey)} was created (its validation URL is above), but \"{PendingPath}\" could not be written: {KeywardException.Plain(e)}",
                $"do not validate that key: it was not saved, so nothing can use it, and left unvalidated it lapses on its own; \"{path}\" is unchanged: fix the folder and run rotate again", FailureKind.Failed, e);
        }
        console.Stderr.WriteLine($"keyward: new consumer key {SecretMask.Mask(pending.ConsumerKey)} requested with {whichRules} {rules.Count} rules, "
            + $"kept encrypted in \"{PendingPath}\" until it is validated; {KeyValidity.ChooseUnlimited}");
        OvhConsole.WriteLine(console, pending.ValidationUrl.ToString());
        return Finish(Wait(pending), pending);
    }

    /// <summary>
    /// Whether the pending key is the one FILE holds already: a run rewrote FILE with it and was stopped (killed, a
    /// power cut, the removal failing) before it removed FILE.pending. That rotation is complete: FILE.pending goes,
    /// and the old key's revocation, which the stopped run may not have printed, is printed. The key is never called
    /// unused or to be revoked, since it is the one being rolled out.
    /// </summary>
    public bool CompletedEarlier(PendingConsumerKey pending, bool discard)
    {
        if (!pending.IsHeldBy(old))
            return false;
        PendingConsumerKey.Discard(path);
        var requested = pending.RequestedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);
        console.Stderr.WriteLine($"keyward: the pending key {SecretMask.Mask(pending.ConsumerKey)} requested {requested} is the key \"{path}\" holds: "
            + $"the rotation was completed (the file was written with it) but stopped before removing \"{PendingPath}\", which is now removed"
            + (discard ? "; --discard-pending had nothing to discard (run rotate again to request a newer key)" : "; no new key is requested"));
        PrintRevocation(pending.ReplacesCredentialId, "(signed with the old consumer key, which the file no longer holds: use the console's \"API keys\" page)");
        return true;
    }

    /// <summary>
    /// What to do with the key an earlier run left pending: the validated credential to finish with, or null to request
    /// a new key (discarded on request, or refused or expired as the API says). A key the API does not accept yet is
    /// pending, refused or expired (the API answers all three alike), or answered as pendingValidation: it is waited for
    /// again, with its URL shown again.
    /// </summary>
    public CurrentCredential? Resume(PendingConsumerKey pending, bool discard)
    {
        if (pending.ApplicationKey != old.ApplicationKey)
            throw new KeywardException($"\"{PendingPath}\" holds a key of application {pending.ApplicationKey}, but \"{path}\" holds one of application {old.ApplicationKey}",
                $"a consumer key works with its own application only: remove \"{PendingPath}\" (if you validated its key, revoke it on the console's \"API keys\" page) and run again", FailureKind.Usage);
        if (!EndpointChoice.Same(OvhEndpoint.Parse(pending.Endpoint), client.Endpoint))
            throw new KeywardException($"\"{PendingPath}\" holds a key requested from {pending.Endpoint}, but \"{path}\" records {client.Endpoint.Name}",
                $"the file changed region since: remove \"{PendingPath}\" (if you validated its key, revoke it in {pending.Endpoint}) and run again", FailureKind.Usage);

        var masked = SecretMask.Mask(pending.ConsumerKey);
        if (!discard && !pending.Replaces(old))
            throw new KeywardException($"the pending key {masked} in \"{PendingPath}\" was requested to replace another key than the one \"{path}\" holds now (the file was written again since)",
                $"keyward ovh rotate {path} --discard-pending gives it up (and prints its revocation if it was validated) and requests a new key", FailureKind.Usage);
        var requested = pending.RequestedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);
        CurrentCredential? current = null;
        using (var fresh = Credentials(pending.ConsumerKey))
        {
            try
            {
                current = client.GetCurrentCredentialAsync(fresh).GetAwaiter().GetResult();
            }
            catch (OvhApiException e) when (e.ErrorKind == OvhErrorKind.InvalidCredential)
            {
                // Not accepted yet: pending, or refused or expired, which the API does not tell apart.
            }
        }
        bool validated = current?.Status == CurrentCredential.Validated;
        if (discard)
        {
            PendingConsumerKey.Discard(path);
            if (!validated)
            {
                console.Stderr.WriteLine($"keyward: note: discarded the pending key {masked} requested {requested}; requesting a new one");
                return null;
            }
            console.Stderr.WriteLine($"keyward: warning: discarded the pending key {masked} requested {requested}, which was validated (credential {current!.CredentialId}); nothing uses it, revoke it:");
            OvhConsole.WriteLine(console, $"DELETE {client.Endpoint.UrlOf($"/me/api/credential/{current.CredentialId}")}");
            return null;
        }
        if (validated)
        {
            console.Stderr.WriteLine($"keyward: continuing with the pending key {masked} requested {requested}, now validated (credential {current!.CredentialId}); no new key is requested");
            return current;
        }
        // 200 with pendingValidation is the same "not yet" as INVALID_CREDENTIAL (as WaitForValidationAsync reads it).
        if (current is not null && current.Status != CurrentCredential.PendingValidation)
        {
            PendingConsumerKey.Discard(path);
            console.Stderr.WriteLine($"keyward: note: the pending key {masked} requested {requested} is {current.Status}; discarded, requesting a new one");
            return null;
        }
        console.Stderr.WriteLine($"keyward: the pending key {masked} requested {requested} is not validated yet; {KeyValidity.ChooseUnlimited}");
        OvhConsole.WriteLine(console, pending.ValidationUrl.ToString());
        return Wait(pending);
    }

    /// <summary>Checks the validated key's rules, writes FILE for the same recipients, drops FILE.pending, says how to revoke the old key.</summary>
    public int Finish(CurrentCredential validated, PendingConsumerKey pending)
    {
        if (RequestCommand.Validated(console, validated, pending.Rules,
            $"the key is live with other rules than requested: keyward ovh rotate {path} --discard-pending prints the call that revokes it and requests a new key") != ExitCodes.Success)
            return ExitCodes.Failure;

        // The name recorded at request time, kept only beside its own rules (the file says what is true).
        var profile = pending.Profile is { } name && BuiltInProfiles.Find(name)?.Match(validated.Rules) is not null ? name : null;
        var updated = metadata with
        {
            Profile = profile, Rules = validated.Rules, CreatedAt = console.Time.GetUtcNow(), CredentialId = validated.CredentialId, Endpoint = client.Endpoint.Name,
            ExpiresAt = validated.Expiration,
        };
        using (var fresh = Credentials(pending.ConsumerKey))
            AtomicFile.WriteAllBytes(path, SopsSecretStore.Encrypt(OvhSecretManifest.Build(updated, fresh, valuesIn), path, target, console.Time));
        try
        {
            PendingConsumerKey.Discard(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // FILE holds the new key now: the rotation is done, and the old key's revocation must still be printed.
            console.Stderr.WriteLine($"keyward: warning: cannot remove \"{PendingPath}\" ({KeywardException.Plain(e)}); the next rotate sees that \"{path}\" holds its key and removes it");
        }
        console.Stderr.WriteLine($"keyward: updated \"{path}\" for the same {Plural.Count(target.RecipientCount, "age recipient")}; commit it and let it roll out");
        if (validated.Expiration is not null)
            console.Stderr.WriteLine($"keyward: note: recorded {OvhSecretManifest.ExpiresAnnotation} and {OvhSecretManifest.RotateByAnnotation} {updated.RotateBy.UtcDateTime:yyyy-MM-dd}, so that keyward audit (KW902) reports it in time");
        PrintRevocation(pending.ReplacesCredentialId ?? metadata.CredentialId, "(signed with the old consumer key)");
        return ExitCodes.Success;
    }

    private void PrintRevocation(long? oldId, string logoutNote)
    {
        console.Stderr.WriteLine($"keyward: after the rollout (e.g. kubectl rollout restart deployment -n {metadata.Namespace} <workload>), revoke the old key:");
        OvhConsole.WriteLine(console, oldId is { } id
            ? $"DELETE {client.Endpoint.UrlOf($"/me/api/credential/{id}")}"
            : "POST " + client.Endpoint.UrlOf("/auth/logout") + " " + logoutNote);
    }

    private CurrentCredential Wait(PendingConsumerKey pending)
    {
        using var fresh = Credentials(pending.ConsumerKey);
        console.Stderr.WriteLine($"keyward: waiting up to {OvhApiClient.Describe(timeout)} for the validation...");
        var kept = $"the new key {SecretMask.Mask(pending.ConsumerKey)} is kept, encrypted, in \"{PendingPath}\": open the validation URL, log in and set the validity, "
            + $"then run keyward ovh rotate {path} again, which continues with that key instead of requesting another";
        try
        {
            return client.WaitForValidationAsync(fresh, timeout, poll, onTransientFailure: (e, retry) =>
                console.Stderr.WriteLine($"keyward: note: {e.Message}; looking again in {OvhApiClient.Describe(retry)}")).GetAwaiter().GetResult();
        }
        catch (OvhValidationTimeoutException e)
        {
            throw new KeywardException(e.Message, kept
                + " (if the URL no longer works because the key was refused or has expired, add --discard-pending to request a new one)", FailureKind.Failed, e);
        }
        catch (KeywardException e)
        {
            throw new KeywardException(e.Message, (e.Hint is null ? "" : e.Hint.TrimEnd('.') + "; ") + kept, e.Kind, e);
        }
    }

    private OvhCredentials Credentials(string consumerKey) => new(old.ApplicationKey, old.RevealApplicationSecret(), consumerKey);
}
