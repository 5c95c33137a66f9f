using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Ovh.Api;
using Keyward.Ovh.Rules;
using Keyward.Manifests.Yaml;

namespace Keyward.Ovh.Storage;

/// <summary>
/// What keyward records beside the credential so that audit and rotation can check it later. <see cref="Endpoint"/> is
/// null for a file that does not say which region its key belongs to (not written by keyward).
/// </summary>
public sealed record OvhSecretMetadata(
    string Name,
    string Namespace,
    string? Profile,
    string? Endpoint,
    IReadOnlyList<AccessRule> Rules,
    DateTimeOffset CreatedAt,
    long? CredentialId,
    DateTimeOffset? ExpiresAt = null)
{
    public string RulesFingerprint => RuleFingerprint.Compute(Rules);

    /// <summary>
    /// The guide asks for a new consumer key every 90 days. A key validated with a limited validity (the validation
    /// page's default is one day) must be replaced before it stops working, so then no later than its expiry minus a
    /// margin: a week, or half the validity when that is shorter, so that the date never falls before the file was written.
    /// </summary>
    public DateTimeOffset RotateBy
    {
        get
        {
            var byAge = CreatedAt.AddDays(OvhSecretManifest.RotationDays);
            if (ExpiresAt is not { } expires)
                return byAge;
            var margin = TimeSpan.FromTicks(Math.Clamp((expires - CreatedAt).Ticks / 2, 0, OvhSecretManifest.ExpiryMargin.Ticks));
            var byExpiry = expires - margin;
            return byExpiry < byAge ? byExpiry : byAge;
        }
    }
}

/// <summary>
/// The Kubernetes Secret that holds an OVHcloud credential under the keys the Karpenter chart reads
/// (<c>applicationKey</c>, <c>applicationSecret</c>, <c>consumerKey</c>), annotated with the profile, the rules and
/// their fingerprint, the endpoint and the creation date.
/// </summary>
public static partial class OvhSecretManifest
{
    public const int RotationDays = 90;

    /// <summary>How long before a limited key's expiry it is due for rotation (at most; see <see cref="OvhSecretMetadata.RotateBy"/>).</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromDays(7);
    public const string AnnotationPrefix = "keyward.io/";
    public const string ProfileAnnotation = AnnotationPrefix + "ovh-profile";
    public const string EndpointAnnotation = AnnotationPrefix + "ovh-endpoint";
    public const string RulesAnnotation = AnnotationPrefix + "ovh-rules";
    public const string FingerprintAnnotation = AnnotationPrefix + "ovh-rules-fingerprint";
    public const string CredentialIdAnnotation = AnnotationPrefix + "ovh-credential-id";
    public const string CreatedAnnotation = AnnotationPrefix + "created-at";
    public const string RotateByAnnotation = AnnotationPrefix + "rotate-by";
    public const string ExpiresAnnotation = AnnotationPrefix + "expires";
    public const string ApplicationKeyField = "applicationKey";
    public const string ApplicationSecretField = "applicationSecret";
    public const string ConsumerKeyField = "consumerKey";

    /// <summary>
    /// The plaintext manifest; the caller encrypts it (or writes it to stdout only, on explicit request). The values go
    /// under <paramref name="valuesIn"/>: <c>stringData</c>, or <c>data</c> (base64) when that is what the SOPS rule
    /// encrypts (<see cref="CredentialPlacement"/>).
    /// </summary>
    public static string Build(OvhSecretMetadata metadata, OvhCredentials credentials, string valuesIn = CredentialPlacement.StringData)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(credentials);
        CheckName(metadata.Name, "--name");
        CheckName(metadata.Namespace, "--namespace");
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: v1\nkind: Secret\nmetadata:\n");
        yaml.Append("  name: ").Append(metadata.Name).Append('\n');
        yaml.Append("  namespace: ").Append(metadata.Namespace).Append('\n');
        yaml.Append("  labels:\n    app.kubernetes.io/managed-by: keyward\n");
        yaml.Append("  annotations:\n");
        if (metadata.Profile is not null)
            Annotation(yaml, ProfileAnnotation, metadata.Profile);
        if (metadata.Endpoint is not null)
            Annotation(yaml, EndpointAnnotation, metadata.Endpoint);
        Annotation(yaml, RulesAnnotation, string.Join(", ", metadata.Rules));
        Annotation(yaml, FingerprintAnnotation, metadata.RulesFingerprint);
        if (metadata.CredentialId is { } id)
            Annotation(yaml, CredentialIdAnnotation, id.ToString(CultureInfo.InvariantCulture));
        Annotation(yaml, CreatedAnnotation, Timestamp(metadata.CreatedAt));
        if (metadata.ExpiresAt is { } expires)
            Annotation(yaml, ExpiresAnnotation, Timestamp(expires));
        Annotation(yaml, RotateByAnnotation, Timestamp(metadata.RotateBy));
        bool base64 = valuesIn switch
        {
            CredentialPlacement.StringData => false,
            CredentialPlacement.Data => true,
            _ => throw new ArgumentException($"a Secret's values go under stringData or data, not {valuesIn}", nameof(valuesIn)),
        };
        string Value(string text) => Quote(base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : text);
        yaml.Append("type: Opaque\n").Append(valuesIn).Append(":\n");
        yaml.Append("  ").Append(ApplicationKeyField).Append(": ").Append(Value(credentials.ApplicationKey)).Append('\n');
        yaml.Append("  ").Append(ApplicationSecretField).Append(": ").Append(Value(credentials.RevealApplicationSecret())).Append('\n');
        yaml.Append("  ").Append(ConsumerKeyField).Append(": ").Append(Value(credentials.RevealConsumerKey())).Append('\n');
        return yaml.ToString();
    }

    /// <summary>Where a (decrypted) manifest holds its consumer key: <c>stringData</c> or <c>data</c>; null when neither.</summary>
    public static string? ValuesIn(string plaintext, string file)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var secret = ManifestLoader.Load(plaintext, file).Documents.FirstOrDefault(d => d.Kind == "Secret");
        return secret?.Root.Child(CredentialPlacement.StringData)?.Child(ConsumerKeyField) is YamlScalar ? CredentialPlacement.StringData
            : secret?.Root.Child(CredentialPlacement.Data)?.Child(ConsumerKeyField) is YamlScalar ? CredentialPlacement.Data
            : null;
    }

    /// <summary>Reads back a (decrypted) manifest: its metadata and its credential.</summary>
    public static (OvhSecretMetadata Metadata, OvhCredentials Credentials) Read(string plaintext, string file)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var loaded = ManifestLoader.Load(plaintext, file);
        if (loaded.Errors.Count > 0)
        {
            var e = loaded.Errors[0];
            throw new KeywardException($"\"{file}\" line {e.Position.Line} column {e.Position.Column}: invalid YAML: {e.Message}", "the decrypted credentials Secret is not valid YAML; restore it from version control, or write it again with keyward ovh secret --force", FailureKind.Usage);
        }
        var secret = loaded.Documents.FirstOrDefault(d => d.Kind == "Secret")
            ?? throw new KeywardException($"\"{file}\": no Secret in the file", "give the file written by keyward ovh secret");
        var annotations = (secret.Root.Child("metadata")?.Child("annotations") as YamlMap).Entries()
            .Where(p => p.Value is YamlScalar)
            .ToDictionary(p => p.Key.Value, p => ((YamlScalar)p.Value).Value, StringComparer.Ordinal)
            ?? [];
        string Field(string key) => Value(secret, key)
            ?? throw new KeywardException($"\"{file}\" {secret.Reference}: no {key} in stringData or data", "the Secret needs applicationKey, applicationSecret and consumerKey");
        var credentials = new OvhCredentials(Field(ApplicationKeyField), Field(ApplicationSecretField), Field(ConsumerKeyField));
        try
        {
            var rules = annotations.TryGetValue(RulesAnnotation, out var text) && text.Length > 0
                ? AccessRuleParser.FromArguments(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                : [];
            var metadata = new OvhSecretMetadata(
                secret.Reference.Name ?? "",
                secret.Reference.Namespace ?? "",
                annotations.GetValueOrDefault(ProfileAnnotation),
                annotations.GetValueOrDefault(EndpointAnnotation),
                rules,
                annotations.TryGetValue(CreatedAnnotation, out var created) && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : DateTimeOffset.MinValue,
                annotations.TryGetValue(CredentialIdAnnotation, out var id) && long.TryParse(id, CultureInfo.InvariantCulture, out var n) ? n : null,
                annotations.TryGetValue(ExpiresAnnotation, out var expires) && DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var x) ? x : null);
            if (annotations.TryGetValue(FingerprintAnnotation, out var recorded) && rules.Count > 0 && recorded != metadata.RulesFingerprint)
                throw new KeywardException($"\"{file}\": the {RulesAnnotation} annotation does not match its fingerprint {recorded}", "the annotations were edited by hand; fix or remove them");
            return (metadata, credentials);
        }
        catch
        {
            credentials.Dispose();
            throw;
        }
    }

    private static string? Value(ManifestDocument secret, string key)
    {
        if (secret.Root.Child("stringData")?.Child(key) is YamlScalar plain)
            return plain.Value;
        if (secret.Root.Child("data")?.Child(key) is YamlScalar encoded && encoded.Value is { } base64)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            }
            catch (FormatException)
            {
                throw new KeywardException($"\"{secret.File}\" {secret.Reference}: data.{key} is not base64", "data values are base64 (echo -n VALUE | base64); or write the value as text under stringData", FailureKind.Usage);
            }
        }
        return null;
    }

    private static void Annotation(StringBuilder yaml, string key, string value) =>
        yaml.Append("    ").Append(key).Append(": ").Append(Quote(value)).Append('\n');

    /// <summary>A JSON string is a valid YAML double-quoted scalar: always a string, whatever it holds.</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value);

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void CheckName(string name, string flag)
    {
        if (!DnsLabel().IsMatch(name))
            throw new KeywardException($"{flag} \"{name}\" is not a valid Kubernetes name", "lowercase letters, digits and '-', at most 63 characters (names may also contain '.')", FailureKind.Usage);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
