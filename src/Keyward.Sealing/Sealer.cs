using System.Text.Json.Nodes;
using Keyward.Age;
using Keyward.Core;

namespace Keyward.Sealing;

/// <summary>What <see cref="Sealer"/> does beyond the certificate.</summary>
public sealed record SealOptions
{
    /// <summary>The scope to seal for; null takes it from the Secret's scope annotations (strict when there are none).</summary>
    public SealingScope? Scope { get; init; }

    /// <summary>Namespace for a Secret that has none; a Secret with another namespace is an error.</summary>
    public string? Namespace { get; init; }

    /// <summary>Name for a Secret that has none; a Secret with another name is an error.</summary>
    public string? Name { get; init; }

    /// <summary>What <see cref="Namespace"/> and <see cref="Name"/> came from, for the error when they disagree with the Secret.</summary>
    public string TargetSource { get; init; } = "the command line";

    /// <summary>Seal a Secret without any key (kubeseal's --allow-empty-data).</summary>
    public bool AllowEmptyData { get; init; }

    /// <summary>Session keys and OAEP seeds; the OS CSPRNG by default.</summary>
    public RandomSource? Random { get; init; }
}

/// <summary>
/// Turns Secrets into <c>bitnami.com/v1alpha1</c> SealedSecrets as kubeseal's NewSealedSecret does: every value sealed
/// on its own under the scope's label, <c>spec.template</c> carrying the Secret's type, labels and annotations (minus
/// kubectl's and kubecfg's last-applied copies), and the scope annotation on both the SealedSecret and its template.
/// </summary>
public sealed class Sealer(SealingCertificate certificate, SealOptions? options = null)
{
    public const string ApiVersion = "bitnami.com/v1alpha1";
    public const string Kind = "SealedSecret";

    private readonly SealOptions options = options ?? new SealOptions();

    public SealingCertificate Certificate { get; } = certificate ?? throw new ArgumentNullException(nameof(certificate));

    /// <summary>Fills in and checks the Secret's namespace and name, and works out its scope.</summary>
    public SealingScope Prepare(SecretManifest secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        secret.Namespace = Reconcile(secret.Namespace, options.Namespace, "namespace", secret, options.TargetSource);
        secret.Name = Reconcile(secret.Name, options.Name, "name", secret, options.TargetSource);
        var scope = options.Scope ?? SealingScopes.FromAnnotations(secret.Annotations);
        secret.Annotations.RemoveAll(a => SealingScopes.IsScopeAnnotation(a.Key) || SecretManifest.IsLastAppliedAnnotation(a.Key));
        if (SealingScopes.Annotation(scope) is { } annotation)
            secret.Annotations.Add(new(annotation, "true"));
        // Every scope needs a name: the SealedSecret has one, and the controller names the Secret after it. The
        // scope only decides whether the name is part of the label.
        if (string.IsNullOrEmpty(secret.Name))
            throw new KeywardException($"{secret.Where}: the Secret has no name",
                "set metadata.name, or pass --name; a SealedSecret needs a name in every scope", FailureKind.Usage);
        SealingScopes.RequireTarget(scope, secret.Namespace, secret.Name, secret.Where, "set metadata.namespace (or pass --namespace)");
        if (secret.Entries.Count == 0 && !options.AllowEmptyData)
            throw new KeywardException($"{secret.Where}: the Secret has no data to seal", "add keys under data or stringData, or pass --allow-empty-data", FailureKind.Usage);
        return scope;
    }

    /// <summary>Seals one Secret into a SealedSecret manifest.</summary>
    public JsonObject Seal(SecretManifest secret) => SealAll([secret])[0];

    /// <summary>
    /// Seals Secrets into SealedSecret manifests, in order. Every value costs one RSA operation, so with the system
    /// random source (thread-safe) the values of all Secrets are sealed on all cores; an injected source is used
    /// sequentially, so a deterministic source gives deterministic output.
    /// </summary>
    public IReadOnlyList<JsonObject> SealAll(IReadOnlyList<SecretManifest> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var scopes = secrets.Select(Prepare).ToArray();
        var encrypted = SealValues(secrets, scopes);
        var result = new List<JsonObject>(secrets.Count);
        for (int i = 0; i < secrets.Count; i++)
            result.Add(Build(secrets[i], scopes[i], encrypted[i]));
        return result;
    }

    /// <summary>The <c>encryptedData</c> map of one prepared Secret, keys in ordinal order as kubeseal's Go maps print them.</summary>
    public JsonObject SealEntries(SecretManifest secret, SealingScope scope)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SealValues([secret], [scope])[0];
    }

    private JsonObject[] SealValues(IReadOnlyList<SecretManifest> secrets, SealingScope[] scopes)
    {
        var work = new List<(int Secret, SecretEntry Entry, byte[] Label)>();
        for (int i = 0; i < secrets.Count; i++)
        {
            var label = SealingScopes.Label(scopes[i], secrets[i].Namespace, secrets[i].Name);
            foreach (var entry in secrets[i].Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                work.Add((i, entry, label));
        }
        var sealedValues = new string[work.Count];
        void SealOne(int i) => sealedValues[i] = Convert.ToBase64String(HybridCipher.Encrypt(Certificate.PublicKey, work[i].Entry.Value, work[i].Label, options.Random));
        if (options.Random is null && work.Count > 1)
            Parallel.For(0, work.Count, SealOne);
        else
            for (int i = 0; i < work.Count; i++)
                SealOne(i);

        var maps = secrets.Select(_ => new JsonObject()).ToArray();
        for (int i = 0; i < work.Count; i++)
            maps[work[i].Secret][work[i].Entry.Key] = sealedValues[i];
        return maps;
    }

    private static JsonObject Build(SecretManifest secret, SealingScope scope, JsonObject encrypted)
    {
        var metadata = new JsonObject { ["name"] = secret.Name };
        if (secret.Namespace is not null)
            metadata["namespace"] = secret.Namespace;
        if (SealingScopes.Annotation(scope) is { } annotation)
            metadata["annotations"] = new JsonObject { [annotation] = "true" };

        var templateMetadata = new JsonObject { ["name"] = secret.Name };
        if (secret.Namespace is not null)
            templateMetadata["namespace"] = secret.Namespace;
        if (secret.Labels.Count > 0)
            templateMetadata["labels"] = StringMap(secret.Labels);
        if (secret.Annotations.Count > 0)
            templateMetadata["annotations"] = StringMap(secret.Annotations);
        var template = new JsonObject { ["metadata"] = templateMetadata };
        if (secret.Type is not null)
            template["type"] = secret.Type;
        if (secret.Immutable is { } immutable)
            template["immutable"] = immutable;

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["encryptedData"] = encrypted, ["template"] = template },
        };
    }

    /// <summary>Seals one value for <c>--raw</c>: base64 of the hybrid blob, as <c>kubeseal --raw</c> prints it.</summary>
    public string SealRaw(ReadOnlySpan<byte> value, SealingScope scope, string? @namespace, string? name)
    {
        SealingScopes.RequireTarget(scope, @namespace, name, "--raw", "pass --namespace");
        return Convert.ToBase64String(HybridCipher.Encrypt(Certificate.PublicKey, value, SealingScopes.Label(scope, @namespace, name), options.Random));
    }

    private static string? Reconcile(string? fromSecret, string? fromOptions, string what, SecretManifest secret, string source)
    {
        if (string.IsNullOrEmpty(fromOptions))
            return string.IsNullOrEmpty(fromSecret) ? null : fromSecret;
        if (!string.IsNullOrEmpty(fromSecret) && fromSecret != fromOptions)
            throw new KeywardException($"{secret.Where}: the Secret's {what} is \"{fromSecret}\", but {source} says \"{fromOptions}\"",
                $"make them agree: the SealedSecret gets one {what}, and {source} and the Secret name two", FailureKind.Usage);
        return fromOptions;
    }

    private static JsonObject StringMap(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs)
            map[key] = value;
        return map;
    }
}
