using System.Globalization;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Audit.Rules.Cloud;

/// <summary>
/// A credential whose <c>keyward.io/rotate-by</c> date has passed. <c>keyward ovh secret</c> and <c>ovh rotate</c>
/// write the date (90 days on, as the OVHcloud guide asks); this is where a repository learns it is late. A sealed
/// credential carries it in the SealedSecret's <c>spec.template.metadata.annotations</c>, where <c>keyward seal</c>
/// puts the Secret's annotations, so those are read too (as KW901 reads <c>keyward.io/ovh-rules</c> there). A key
/// validated with a limited validity also gets <c>keyward.io/expires</c>: past that date the key no longer works at
/// all, which is reported instead, as high (rotate-by is set before it, so this fires only when that was missed).
/// </summary>
public sealed class RotationDueRule : Rule
{
    public const string RotateByAnnotation = "keyward.io/rotate-by";
    public const string ExpiresAnnotation = "keyward.io/expires";

    public override string Id => "KW902";
    public override string Name => "credential-rotation-overdue";
    public override string Title => "Credential past its rotation date";
    public override Severity Severity => Severity.Medium;
    public override Category Category => Category.CloudCredentials;
    public override string Why => "The longer a credential lives, the more copies of it exist (laptops, CI logs, backups) and the longer a leaked one stays useful. keyward records when a credential it stored is due for rotation, and when its key expires (an OVHcloud key validated with a limited validity); past the first it is overdue, past the second every call with it is refused.";
    public override string Fix => "Rotate it: keyward ovh rotate FILE for an OVHcloud credential kept SOPS-encrypted (it requests a new key with the same rules, then tells you how to restart the consumers and revoke the old key); a sealed one cannot be decrypted back, so rotate its SOPS source and seal that again, or request a new key (keyward ovh request) and seal it (keyward ovh secret --plaintext ... | keyward seal --cert CERT). Validate the new key with an Unlimited validity, as the Karpenter guide recommends.";

    public override IReadOnlyList<RuleExample> Examples { get; } =
    [
        new("an OVHcloud credential due in 2020", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\n  annotations:\n    keyward.io/rotate-by: \"2020-01-01T00:00:00Z\"\nstringData:\n  consumerKey: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n", true),
        new("a sealed OVHcloud credential due in 2020 (keyward seal moves the annotation into the template)", "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\nspec:\n  encryptedData:\n    consumerKey: AgBy3i4OJSWK+PiTySYZZA==\n  template:\n    metadata:\n      name: ovh-credentials\n      namespace: karpenter\n      annotations:\n        keyward.io/rotate-by: \"2020-01-01T00:00:00Z\"\n", true),
        new("an OVHcloud credential whose key expired in 2020", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\n  annotations:\n    keyward.io/expires: \"2020-01-02T00:00:00Z\"\n    keyward.io/rotate-by: \"2020-01-01T12:00:00Z\"\nstringData:\n  consumerKey: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n", true),
        new("due in the future", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ovh-credentials\n  namespace: karpenter\n  annotations:\n    keyward.io/rotate-by: \"2999-01-01T00:00:00Z\"\nstringData:\n  consumerKey: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n", false),
    ];

    public override void CheckDocument(ManifestDocument document, AuditContext context, FindingSink sink)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sink);
        // A file as a past commit had it is no credential in use today.
        if (context.Now is not { } now)
            return;
        Check(document, document.Root.Mapping("metadata")?.Mapping("annotations"), "metadata.annotations", now, sink);
        // Only a SealedSecret's template is the credential's metadata; a pod template's annotations are not.
        if (document.Kind == "SealedSecret")
            Check(document, document.Root.Mapping("spec")?.Mapping("template")?.Mapping("metadata")?.Mapping("annotations"), "spec.template.metadata.annotations", now, sink);
    }

    private static void Check(ManifestDocument document, YamlMap? annotations, string field, DateTimeOffset now, FindingSink sink)
    {
        if (Date(document, annotations, ExpiresAnnotation, field, sink) is { } expired && expired.Date < now)
        {
            int ago = (int)(now - expired.Date).TotalDays;
            sink.Report(document, expired.Node, $"{field}.{ExpiresAnnotation}",
                $"{document.Kind} {document.Reference.Name}: its key expired on {expired.Date.UtcDateTime:yyyy-MM-dd} ({Days(ago)} ago) and every call with it is refused", Severity.High);
            return;
        }
        if (Date(document, annotations, RotateByAnnotation, field, sink) is not { } due || due.Date >= now)
            return;
        int days = (int)(now - due.Date).TotalDays;
        sink.Report(document, due.Node, $"{field}.{RotateByAnnotation}",
            $"{document.Kind} {document.Reference.Name} was due for rotation on {due.Date.UtcDateTime:yyyy-MM-dd} ({Days(days)} ago)");
    }

    /// <summary>The annotation's date; null when it is absent, or when it is not a date (which is reported).</summary>
    private static (DateTimeOffset Date, YamlScalar Node)? Date(ManifestDocument document, YamlMap? annotations, string name, string field, FindingSink sink)
    {
        if (annotations?[name] is not YamlScalar { Value: { Length: > 0 } text } node)
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return (date, node);
        sink.Report(document, node, $"{field}.{name}",
            $"{document.Kind} {document.Reference.Name}: {name} is not a date (write it as 2026-02-21T00:00:00Z)", Severity.Low);
        return null;
    }

    private static string Days(int days) => $"{days} day{(days == 1 ? "" : "s")}";
}
