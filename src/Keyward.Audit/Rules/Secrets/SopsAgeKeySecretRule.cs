using System.Text;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Secrets;

/// <summary>Flux's decryption key committed: a <c>sops-age</c> Secret or any Secret holding a <c>*.agekey</c>.</summary>
public sealed class SopsAgeKeySecretRule : Rule
{
    public override bool ChecksEachFileAlone => true;

    public override string Id => "KW107";
    public override string Name => "sops-age-key-secret";
    public override string Title => "Flux sops-age key committed";
    public override Severity Severity => Severity.Critical;
    public override Category Category => Category.Secrets;
    public override string Why => "The sops-age Secret holds the private age key Flux decrypts with; committed next to the encrypted files, it makes every SOPS-encrypted Secret of the repository readable.";
    public override string Fix => "Delete the Secret from the repository and its history, rotate the age key and re-encrypt, and create the Secret only in the cluster (kubectl create secret generic sops-age --namespace flux-system --from-file=age.agekey=/dev/stdin).";

    // Made on first use: the base64 encoder's vectorized path is compiled at run time, which an audit never needs.
    public override IReadOnlyList<RuleExample> Examples => field ??=
    [
        new("the sops-age Secret with its key", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-age\n  namespace: flux-system\nstringData:\n  age.agekey: |\n    # public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n    AGE-SECRET-KEY-10GH7YQ7SWV77EFWFCQY2ZNP37CMEUGHXZGLDSMN6CK6W4P325XD3J8Y779\n", true),
        new("an .agekey entry under another name, base64-encoded", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: decryption\n  namespace: flux-system\ndata:\n  identity.agekey: " + Convert.ToBase64String(Encoding.ASCII.GetBytes("AGE-SECRET-KEY-10GH7YQ7SWV77EFWFCQY2ZNP37CMEUGHXZGLDSMN6CK6W4P325XD3J8Y779\n")) + "\n", true),
        new("a Flux Kustomization that references the Secret", "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps\n  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sink);
        if (document.Kind != "Secret" || document.Root.Child("sops") is not null)
            return;
        foreach (var field in new[] { "stringData", "data" })
        {
            foreach (var (key, value) in document.Root.Mapping(field).Entries())
            {
                if (value is YamlScalar { Value: { Length: > 0 } text } && IsAgeKeyValue(document, field, key.Value, text))
                    sink.Report(document, value, $"{field}.{key.Value}", $"Secret {document.Reference.Name} holds the age private key for SOPS decryption", secrets: [text]);
            }
        }
    }

    private const int AgeKeyLength = 74;

    /// <summary>
    /// A Secret value this rule reports: an age private key, or any unencrypted value of Flux's <c>sops-age</c> Secret
    /// or of a <c>*.agekey</c> key. KW101 leaves these to it, so one leaked key is one finding that says what it is.
    /// </summary>
    internal static bool IsAgeKeyValue(ManifestDocument document, string field, string key, string text)
    {
        if ((document.Reference.Name == "sops-age" || key.EndsWith(".agekey", StringComparison.Ordinal)) && !text.StartsWith("ENC[", StringComparison.Ordinal))
            return true;
        // An age key is 74 characters, 100 in base64: a shorter value holds none, and KW101 asks of every value.
        if (text.Length < (field == "data" ? 100 : AgeKeyLength))
            return false;
        var plain = field == "data" ? Decode(text) : text;
        return plain?.Contains("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase) == true;
    }

    private static string? Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
