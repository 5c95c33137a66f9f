using System.Text;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Sealing;

/// <summary>
/// A SealedSecret read for unsealing or verifying: its identity, the scope the controller derives from the
/// SealedSecret's own annotations, and the sealed values with their positions.
/// </summary>
public sealed class SealedSecretManifest
{
    public required string File { get; init; }
    public required SourcePosition Position { get; init; }
    public required YamlMap Root { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }

    /// <summary>
    /// The scope the controller opens the values under: from the SealedSecret's own <c>metadata.annotations</c>
    /// (sealedsecret_expansion.go, Unseal: <c>labelFor(s.GetObjectMeta())</c>), never from the template's.
    /// </summary>
    public SealingScope Scope { get; init; }

    /// <summary>
    /// The scope <c>spec.template.metadata.annotations</c> name, or null when they carry no scope annotation. The
    /// controller copies them onto the Secret it makes; it does not read them to unseal.
    /// </summary>
    public SealingScope? TemplateScope { get; init; }

    /// <summary>Null, or what goes wrong when the template names another scope than the one the values open under.</summary>
    public string? ScopeDisagreement => TemplateScope is { } named && named != Scope
        ? $"{Where}: the controller opens it with {SealingScopes.Name(Scope)} scope, from metadata.annotations, but spec.template.metadata.annotations say {SealingScopes.Name(named)}; "
          + "the controller does not read the template's, it copies them onto the Secret; make the two agree"
        : null;
    public List<(string Key, string Value, SourcePosition Position)> EncryptedData { get; } = [];

    public string Where => $"\"{File}\" line {Position.Line} column {Position.Column}: SealedSecret {(Namespace is null ? "" : Namespace + "/")}{Name ?? "(no name)"}";

    /// <summary>The OAEP label the controller would use for this object.</summary>
    public byte[] Label => SealingScopes.Label(Scope, Namespace, Name);

    public string LabelText => Encoding.UTF8.GetString(Label);

    public static bool IsSealedSecret(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Kind == Sealer.Kind && (document.Reference.ApiVersion?.StartsWith("bitnami.com/", StringComparison.Ordinal) ?? false);
    }

    public static SealedSecretManifest FromDocument(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var at = document.Start;
        if (!IsSealedSecret(document))
            throw new KeywardException($"\"{document.File}\" line {at.Line} column {at.Column}: expected a bitnami.com/v1alpha1 SealedSecret, found {document.Reference.ApiVersion ?? "?"} {document.Kind ?? "(no kind)"}",
                "pass SealedSecret manifests, as keyward seal or kubeseal write them; a Secret is sealed with keyward seal --cert", FailureKind.Usage);
        var spec = document.Root.Child("spec");
        var metadata = document.Root.Child("metadata");
        var templateAnnotations = StringAnnotations(spec?.Child("template")?.Child("metadata")?.Child("annotations"));
        var sealedSecret = new SealedSecretManifest
        {
            File = document.File,
            Position = at,
            Root = document.Root,
            Name = metadata?.Child("name").NonNullText(),
            Namespace = metadata?.Child("namespace").NonNullText(),
            Scope = SealingScopes.FromAnnotations(StringAnnotations(metadata?.Child("annotations"))),
            TemplateScope = templateAnnotations.Any(a => SealingScopes.IsScopeAnnotation(a.Key)) ? SealingScopes.FromAnnotations(templateAnnotations) : null,
        };
        if (spec?.Child("data") is not null && spec.Child("encryptedData") is null)
            throw new KeywardException($"{sealedSecret.Where}: spec.data is the deprecated v1 format, which keyward does not read",
                "re-seal it with kubeseal --re-encrypt or from the original Secret", FailureKind.Usage);
        if (spec?.Child("encryptedData") is YamlMap data)
        {
            foreach (var (k, v) in data.Entries())
            {
                if (k is not YamlScalar { Value: { } key } || v is not YamlScalar value)
                    throw new KeywardException($"{sealedSecret.Where}: spec.encryptedData must map keys to base64 strings", "each key's value is one base64 string, as kubeseal or keyward seal writes it", FailureKind.Usage);
                sealedSecret.EncryptedData.Add((key, value.Value, v.Position()));
            }
        }
        return sealedSecret;
    }

    private static List<KeyValuePair<string, string>> StringAnnotations(YamlValue? node)
    {
        var annotations = new List<KeyValuePair<string, string>>();
        if (node is YamlMap map)
        {
            foreach (var (k, v) in map.Entries())
            {
                if (k is YamlScalar { Value: { } key } && v is YamlScalar value)
                    annotations.Add(new(key, value.Value));
            }
        }
        return annotations;
    }
}
