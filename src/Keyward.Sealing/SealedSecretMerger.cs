using System.Text.Json.Nodes;
using Keyward.Core;
using Keyward.Manifests;

namespace Keyward.Sealing;

/// <summary>What a merge changed: keys added and keys replaced, names only.</summary>
public sealed record MergeResult(JsonObject SealedSecret, IReadOnlyList<string> Added, IReadOnlyList<string> Replaced);

/// <summary>
/// <c>--merge-into</c>: seals a Secret's keys into an existing SealedSecret, adding or replacing those keys and
/// leaving every other key, and the rest of the object, as it was (kubeseal's SealMergingInto). Unlike kubeseal it
/// seals under the existing object's namespace, name and scope, so merged keys open where the others do.
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

        var sealer = new Sealer(certificate, options with
        {
            Scope = existing.Scope,
            Namespace = existing.Namespace,
            Name = existing.Name,
            TargetSource = $"\"{existing.File}\"",
        });
        var scope = sealer.Prepare(secret);
        var sealedValues = sealer.SealEntries(secret, scope);

        var root = (JsonObject)ManifestWriter.ToJsonNode(existingDocument.Root)!;
        var spec = Object(root, "spec");
        var encryptedData = Object(spec, "encryptedData");
        var added = new List<string>();
        var replaced = new List<string>();
        foreach (var (key, value) in sealedValues.ToList())
        {
            (encryptedData.ContainsKey(key) ? replaced : added).Add(key);
            sealedValues.Remove(key);
            encryptedData[key] = value;
        }

        // Like kubeseal, the Secret's labels and annotations are merged into the template's.
        var templateMetadata = Object(Object(spec, "template"), "metadata");
        MergeStrings(templateMetadata, "labels", secret.Labels);
        MergeStrings(templateMetadata, "annotations", secret.Annotations);
        return new MergeResult(root, added, replaced);
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
