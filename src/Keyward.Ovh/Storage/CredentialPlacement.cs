using Keyward.Core;
using Keyward.Sops.Engine;
using Keyward.Sops.Metadata;

namespace Keyward.Ovh.Storage;

/// <summary>
/// Where in the Secret the credential goes so that the file's SOPS rule encrypts it. SOPS encrypts only what its
/// rule selects, and a repository's common rule may select <c>data</c> alone (what kubectl writes) or a suffix the
/// Secret's keys do not have: the values would then be committed in clear under a file that looks encrypted.
/// <c>stringData</c> when the rule encrypts it (readable after decryption), else <c>data</c> (base64, as Kubernetes
/// reads it too), else nothing is written at all.
/// </summary>
public static class CredentialPlacement
{
    public const string StringData = "stringData";
    public const string Data = "data";

    private static readonly string[] Fields = [OvhSecretManifest.ApplicationKeyField, OvhSecretManifest.ApplicationSecretField, OvhSecretManifest.ConsumerKeyField];

    /// <summary>The Secret field names that <paramref name="rule"/> leaves in clear under <paramref name="map"/>.</summary>
    public static IReadOnlyList<string> ClearFields(CryptRule rule, string map)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var rules = new CryptRules(rule);
        // No comment is ever written above a credential value, so a comment rule sees an empty comment stack.
        return Fields.Where(f => !rules.ShouldEncrypt([map, f], [], isComment: false)).ToList();
    }

    /// <summary>
    /// <see cref="StringData"/> or <see cref="Data"/>, whichever <paramref name="rule"/> encrypts entirely; otherwise a
    /// usage error naming the rule, <paramref name="where"/> it comes from and the fields it would leave in clear.
    /// </summary>
    public static string Choose(CryptRule rule, string where, string fixHint)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (ClearFields(rule, StringData).Count == 0)
            return StringData;
        if (ClearFields(rule, Data).Count == 0)
            return Data;
        var fields = string.Join(", ", ClearFields(rule, StringData).Select(f => $"{StringData}.{f}"));
        throw new KeywardException(
            $"{where} encrypts with {rule.Option}: {rule.Value}, which would leave {fields} in clear (under {Data} too): nothing was written or requested",
            fixHint, FailureKind.Usage);
    }

    /// <summary>The fix for a creation rule that does not encrypt the Secret's values.</summary>
    public const string RuleHint = "make the rule encrypt the Secret's values, e.g. encrypted_regex: ^(data|stringData)$ (Flux's rule for Secrets), or pass --age RECIPIENT, which uses that rule";
}
