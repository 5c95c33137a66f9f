using System.Text.Json.Nodes;
using Keyward.Core;
using Keyward.Manifests;

namespace Keyward.Sealing;

/// <summary>What a merge changed: keys added and keys replaced, names only.</summary>
public sealed record MergeResult(JsonObject SealedSecret, IReadOnlyList<string> Added, IReadOnlyList<string> Replaced)
{
    /// <summary>Null, or why the target's template names another scope than the one its keys (and the new ones) open under.</summary>
    public string? ScopeWarning { get; init; }
}

/// <summary>
/// <c>--merge-into</c>: seals a Secret's keys into an existing SealedSecret, adding or replacing those keys and
/// leaving every other key, and the rest of the object, as it was (kubeseal's SealMergingInto). Unlike kubeseal it
/// seals under the existing object's namespace, name and scope, so merged keys open where the others do. The scope
/// is the one the controller reads, from the SealedSecret's own annotations.
/// </summary>
public static class SealedSecretMerger
{
    public static MergeResult Merge(ManifestDocument existingDocument, SecretManifest secret, SealingCertificate certificate, SealOptions options)
    {
        ArgumentNullException.ThrowIfNull(existingDocument);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(options);
        var existing = SealedSecretManifest.FromDocument(existingDocument);
        if (options.Scope is { } requested && requested != existing.Scope)
            throw new KeywardException($"{existing.Where} is sealed with {SealingScopes.Name(existing.Scope)} scope, but --scope says {SealingScopes.Name(requested)}",
                "keys of one SealedSecret share its scope; drop --scope or re-seal the whole Secret", FailureKind.Usage);

        var root = (JsonObject)ManifestWriter.ToJsonNode(existingDocument.Root)!;
        var spec = Object(root, "spec");
        var template = Object(spec, "template");
        RequireAgreement(existing, secret, options, template);

        var sealer = new Sealer(certificate, options with
        {
            Scope = existing.Scope,
            Namespace = existing.Namespace,
            Name = existing.Name,
            TargetSource = $"\"{existing.File}\"",
        });
        var scope = sealer.Prepare(secret);
        var sealedValues = sealer.SealEntries(secret, scope);

        var encryptedData = Object(spec, "encryptedData");
        var added = new List<string>();
        var replaced = new List<string>();
        foreach (var (key, value) in sealedValues.ToList())
        {
            sealedValues.Remove(key);
            if (encryptedData.ContainsKey(key))
            {
                replaced.Add(key);
                encryptedData[key] = value;
            }
            else
            {
                added.Add(key);
                encryptedData.Insert(InsertionIndex(encryptedData, key), key, value);
            }
        }

        // Like kubeseal, the Secret's labels and annotations are merged into the template's.
        var templateMetadata = Object(template, "metadata");
        MergeStrings(templateMetadata, "labels", secret.Labels);
        MergeStrings(templateMetadata, "annotations", secret.Annotations);
        return new MergeResult(root, added, replaced) { ScopeWarning = existing.ScopeDisagreement };
    }

    /// <summary>
    /// Refuses a Secret whose type or scope annotations say something the target does not: the merged keys take the
    /// target's template and scope, so either would be dropped without a word.
    /// </summary>
    private static void RequireAgreement(SealedSecretManifest existing, SecretManifest secret, SealOptions options, JsonObject template)
    {
        // The API server gives a Secret without a type the type Opaque; a Secret that names none agrees with any.
        var targetType = template["type"] is JsonValue t && t.TryGetValue(out string? typeText) ? typeText : "Opaque";
        if (secret.Type is { } type && type != targetType)
            throw new KeywardException($"{secret.Where} has type {type}, but {existing.Where} makes Secrets of type {targetType}",
                "the target's template sets the type: drop type from the Secret, or seal it into a SealedSecret of its own", FailureKind.Usage);
        if (options.Scope is null && secret.Annotations.Any(a => SealingScopes.IsScopeAnnotation(a.Key) && a.Value == "true")
            && SealingScopes.FromAnnotations(secret.Annotations) is var asked && asked != existing.Scope)
            throw new KeywardException($"{secret.Where} asks for {SealingScopes.Name(asked)} scope (annotation), but {existing.Where} is sealed with {SealingScopes.Name(existing.Scope)} scope",
                "keys of one SealedSecret share its scope: drop the scope annotation from the Secret, or seal it into a SealedSecret of its own", FailureKind.Usage);
    }

    /// <summary>
    /// Where a new key goes: before the first existing key that sorts after it. Keys sealed by keyward or kubeseal are
    /// already in ordinal order, so the result is too; a hand-ordered map keeps its order, and no untouched line moves.
    /// </summary>
    private static int InsertionIndex(JsonObject encryptedData, string key)
    {
        int index = 0;
        foreach (var (existingKey, _) in encryptedData)
        {
            if (string.CompareOrdinal(existingKey, key) > 0)
                return index;
            index++;
        }
        return index;
    }

    private static void MergeStrings(JsonObject parent, string field, List<KeyValuePair<string, string>> pairs)
    {
        if (pairs.Count == 0)
            return;
        var map = Object(parent, field);
        foreach (var (key, value) in pairs)
            map[key] = value;
    }

    private static JsonObject Object(JsonObject parent, string field)
    {
        if (parent[field] is JsonObject existing)
            return existing;
        var created = new JsonObject();
        parent[field] = created;
        return created;
    }
}
