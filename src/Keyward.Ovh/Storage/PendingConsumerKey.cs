using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;
using Keyward.Ovh.Api;
using Keyward.Ovh.Rules;
using Keyward.Sops.Crypto;
using Keyward.Sops.Metadata;

namespace Keyward.Ovh.Storage;

/// <summary>
/// A consumer key that <c>keyward ovh rotate</c> requested for a Secret file and that is not validated yet, kept in
/// <c>FILE.pending</c> beside it. Without it a timeout loses the key: the user validates it later (often with an
/// unlimited validity) and it stays live in the account, unused and unrecorded, while the next rotate requests
/// another. The file is SOPS YAML encrypted to the Secret file's own recipients, so whoever may rotate the file may
/// continue the rotation, and nothing in clear reaches the repository; it is no Kubernetes object and has no
/// <c>.yaml</c> extension, so neither Flux nor kustomize applies it.
/// </summary>
public sealed record PendingConsumerKey(
    string File,
    string Endpoint,
    string ApplicationKey,
    string ConsumerKey,
    Uri ValidationUrl,
    IReadOnlyList<AccessRule> Rules,
    string? Profile,
    long? ReplacesCredentialId,
    string ReplacesKeyDigest,
    DateTimeOffset RequestedAt)
{
    public const string Suffix = ".pending";

    /// <summary>Only the keys and the URL that validates one are encrypted; the rest says, readably, what the file is.</summary>
    private static readonly CryptRule SecretFields = new("encrypted_regex", "^(consumerKey|validationUrl|replacesKeyDigest)$");

    public static string PathFor(string secretFile) => secretFile + Suffix;

    /// <summary>
    /// SHA-256 of the consumer key being replaced. The pending key was requested to replace that key; if the Secret
    /// file holds another one by the time rotate runs again (rewritten by hand or by keyward ovh secret), continuing
    /// would print the revocation of the wrong key, so the digest tells the two cases apart without keeping the key.
    /// </summary>
    public static string KeyDigest(OvhCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return Convert.ToHexStringLower(SHA256.HashData(credentials.ConsumerKeyBytes));
    }

    /// <summary>Whether this key was requested to replace the one <paramref name="current"/> holds.</summary>
    public bool Replaces(OvhCredentials current) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(KeyDigest(current)), Encoding.ASCII.GetBytes(ReplacesKeyDigest));

    /// <summary>
    /// Whether <paramref name="current"/> (the Secret file's credential) is this very key: the run that rewrote the file
    /// with it was stopped (killed, a power cut, the removal failing) before it removed <c>FILE.pending</c>.
    /// </summary>
    public bool IsHeldBy(OvhCredentials current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(current.ConsumerKeyBytes), SHA256.HashData(Encoding.UTF8.GetBytes(ConsumerKey.Trim())));
    }

    /// <summary>Writes <c>FILE.pending</c> (0600) for <paramref name="target"/>, the recipients of the Secret file.</summary>
    public void Save(string secretFile, SopsTarget target, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(target);
        var path = PathFor(secretFile);
        AtomicFile.WriteAllBytes(path, SopsSecretStore.Encrypt(ToYaml(), path, target with { Rule = SecretFields }, time), AtomicWriteOptions.Private);
    }

    /// <summary>The pending key saved beside <paramref name="secretFile"/>, or null when there is none.</summary>
    public static PendingConsumerKey? Load(string secretFile, IdentitySet identities)
    {
        var path = PathFor(secretFile);
        if (!System.IO.File.Exists(path))
            return null;
        var (plaintext, _) = SopsSecretStore.Decrypt(System.IO.File.ReadAllBytes(path), path, identities);
        return Parse(plaintext, path);
    }

    /// <summary>Removes <c>FILE.pending</c>: its key was used, or given up.</summary>
    public static void Discard(string secretFile) => System.IO.File.Delete(PathFor(secretFile));

    /// <summary>The generated record text would hold the key: this one masks it.</summary>
    public override string ToString() =>
        $"pending consumer key {SecretMask.Mask(ConsumerKey)} for \"{File}\" ({Endpoint}, application {ApplicationKey}), requested {Timestamp(RequestedAt)} with {Rules.Count} rules";

    private string ToYaml()
    {
        var yaml = new StringBuilder();
        Line(yaml, "description", "a consumer key keyward ovh rotate requested, not validated yet; the next rotate of the file continues with it");
        Line(yaml, "file", File);
        Line(yaml, "endpoint", Endpoint);
        Line(yaml, "applicationKey", ApplicationKey);
        Line(yaml, "requestedAt", Timestamp(RequestedAt));
        if (Profile is not null)
            Line(yaml, "profile", Profile);
        if (ReplacesCredentialId is { } id)
            Line(yaml, "replacesCredentialId", id.ToString(CultureInfo.InvariantCulture));
        Line(yaml, "replacesKeyDigest", ReplacesKeyDigest);
        yaml.Append("rules:\n");
        foreach (var rule in Rules)
            yaml.Append("  - ").Append(JsonSerializer.Serialize(rule.ToString())).Append('\n');
        Line(yaml, "consumerKey", ConsumerKey);
        Line(yaml, "validationUrl", ValidationUrl.ToString());
        return yaml.ToString();
    }

    private static PendingConsumerKey Parse(string plaintext, string path)
    {
        var (documents, error) = YamlDocuments.Read(plaintext);
        if (error is not null || documents is not [YamlMap root])
            throw Damaged(path, "it is not one YAML mapping");
        string Required(string key) => root.Scalar(key) is { Length: > 0 } value ? value : throw Damaged(path, $"it has no {key}");
        if (!Uri.TryCreate(Required("validationUrl"), UriKind.Absolute, out var url))
            throw Damaged(path, "its validationUrl is not a URL");
        if (!DateTimeOffset.TryParse(Required("requestedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var requested))
            throw Damaged(path, "its requestedAt is not a date");
        var rules = AccessRuleParser.FromArguments(root.Strings("rules"));
        if (rules.Count == 0)
            throw Damaged(path, "it has no rules");
        return new PendingConsumerKey(Required("file"), Required("endpoint"), Required("applicationKey"), Required("consumerKey"), url, rules,
            root.Scalar("profile"), root.Number("replacesCredentialId"), Required("replacesKeyDigest"), requested);
    }

    private static KeywardException Damaged(string path, string why) =>
        new($"\"{path}\" is not a pending key keyward ovh rotate wrote: {why}",
            "remove it (if its key was validated, revoke it on the console's \"API keys\" page) and run keyward ovh rotate again");

    private static void Line(StringBuilder yaml, string key, string value) =>
        yaml.Append(key).Append(": ").Append(JsonSerializer.Serialize(value)).Append('\n');

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
