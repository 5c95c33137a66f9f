using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Sealing;

/// <summary>The outcome of opening one sealed value: the plaintext, or why it did not open.</summary>
public sealed record UnsealedValue(string Key, SourcePosition Position, byte[]? Plaintext, string? Problem);

/// <summary>
/// Opens SealedSecrets with the controller's private keys, as the controller does: the label comes from the
/// object's own namespace, name and scope annotations (not its template's), and every key is tried.
/// </summary>
public sealed class Unsealer(SealingKeyRing keys)
{
    private readonly SealingKeyRing keys = keys ?? throw new ArgumentNullException(nameof(keys));

    /// <summary>Opens every value; the caller wipes the plaintexts.</summary>
    public IReadOnlyList<UnsealedValue> Open(SealedSecretManifest sealedSecret) => OpenAll([sealedSecret])[0];

    /// <summary>
    /// Opens every value of every SealedSecret, in order; the caller wipes the plaintexts. Each value costs one RSA
    /// private operation per key tried, so all values of all objects are spread over the cores together.
    /// </summary>
    public IReadOnlyList<UnsealedValue>[] OpenAll(IReadOnlyList<SealedSecretManifest> sealedSecrets)
    {
        ArgumentNullException.ThrowIfNull(sealedSecrets);
        var work = new List<(int Secret, int Value, byte[] Label)>();
        for (int s = 0; s < sealedSecrets.Count; s++)
        {
            var sealedSecret = sealedSecrets[s];
            // The controller names the Secret after the SealedSecret, so even a cluster-wide value needs a name to land.
            if (string.IsNullOrEmpty(sealedSecret.Name))
                throw new KeywardException($"{sealedSecret.Where}: the SealedSecret has no name",
                    "set its metadata.name to the name it was sealed for", FailureKind.Usage);
            SealingScopes.RequireTarget(sealedSecret.Scope, sealedSecret.Namespace, sealedSecret.Name, sealedSecret.Where, "set its metadata.namespace");
            var label = sealedSecret.Label;
            for (int v = 0; v < sealedSecret.EncryptedData.Count; v++)
                work.Add((s, v, label));
        }
        var results = sealedSecrets.Select(s => new UnsealedValue[s.EncryptedData.Count]).ToArray();
        Parallel.For(0, work.Count, i =>
        {
            var (s, v, label) = work[i];
            var (key, value, position) = sealedSecrets[s].EncryptedData[v];
            results[s][v] = OpenOne(key, value, position, label, sealedSecrets[s]);
        });
        return results;
    }

    private UnsealedValue OpenOne(string key, string value, SourcePosition position, byte[] label, SealedSecretManifest sealedSecret)
    {
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return new(key, position, null, "it is not valid base64");
        }
        string? shape = null;
        foreach (var privateKey in keys.Keys)
        {
            if (HybridCipher.TryDecrypt(privateKey, blob, label) is { } plaintext)
                return new(key, position, plaintext, null);
            shape ??= HybridCipher.ShapeProblem(blob, (privateKey.Modulus.BitLength + 7) / 8);
        }
        return new(key, position, null, shape ?? $"no key could decrypt it with {SealingScopes.Name(sealedSecret.Scope)} scope (label \"{sealedSecret.LabelText}\"): " +
            "sealed with another controller key, for another namespace, name or scope, or altered");
    }

    /// <summary>
    /// Rebuilds the Secret the controller would create: template metadata, type and immutability, and the opened
    /// values under <c>data</c>. Throws, naming every key, when any value does not open.
    /// </summary>
    public JsonObject Unseal(SealedSecretManifest sealedSecret, ICollection<string>? warnings = null) => UnsealAll([sealedSecret], warnings)[0];

    /// <summary>Unseals several SealedSecrets, all values in parallel; throws at the first object with a value that does not open.</summary>
    public IReadOnlyList<JsonObject> UnsealAll(IReadOnlyList<SealedSecretManifest> sealedSecrets, ICollection<string>? warnings = null)
    {
        var opened = OpenAll(sealedSecrets);
        try
        {
            var secrets = new List<JsonObject>(sealedSecrets.Count);
            for (int i = 0; i < sealedSecrets.Count; i++)
                secrets.Add(Build(sealedSecrets[i], opened[i], warnings));
            return secrets;
        }
        finally
        {
            foreach (var value in opened.SelectMany(o => o))
            {
                if (value.Plaintext is not null)
                    CryptographicOperations.ZeroMemory(value.Plaintext);
            }
        }
    }

    private static JsonObject Build(SealedSecretManifest sealedSecret, IReadOnlyList<UnsealedValue> opened, ICollection<string>? warnings)
    {
        ThrowOnFailures(sealedSecret, opened);
        if (sealedSecret.ScopeDisagreement is { } disagreement)
            warnings?.Add(disagreement);
        var template = sealedSecret.Root.Child("spec")?.Child("template");
        var metadata = new JsonObject { ["name"] = sealedSecret.Name };
        if (sealedSecret.Namespace is not null)
            metadata["namespace"] = sealedSecret.Namespace;
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (template?.Child("metadata")?.Child(field) is YamlMap map)
                metadata[field] = ManifestWriter.ToJsonNode(map);
        }
        var secret = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = metadata };
        if (template?.Child("type") is { } type)
            secret["type"] = ManifestWriter.ToJsonNode(type);
        if (template?.Child("immutable") is { } immutable)
            secret["immutable"] = ManifestWriter.ToJsonNode(immutable);
        var data = new JsonObject();
        foreach (var value in opened)
            data[value.Key] = Convert.ToBase64String(value.Plaintext!);
        secret["data"] = data;
        if (template?.Child("data") is YamlMap templated && templated.Count > 0)
        {
            var keys = string.Join(", ", templated.Entries().Select(e => e.Key.Value));
            warnings?.Add($"{sealedSecret.Where}: spec.template.data holds Go templates the controller renders; keyward does not render them, so their keys ({keys}) are left out");
        }
        return secret;
    }

    /// <summary>Checks that every value opens, without keeping any plaintext; returns the keys that do not.</summary>
    public IReadOnlyList<UnsealedValue> Verify(SealedSecretManifest sealedSecret) => VerifyAll([sealedSecret])[0];

    /// <summary>For each SealedSecret, the values that do not open (all values checked in parallel, no plaintext kept).</summary>
    public IReadOnlyList<UnsealedValue>[] VerifyAll(IReadOnlyList<SealedSecretManifest> sealedSecrets)
    {
        var opened = OpenAll(sealedSecrets);
        foreach (var value in opened.SelectMany(o => o))
        {
            if (value.Plaintext is not null)
                CryptographicOperations.ZeroMemory(value.Plaintext);
        }
        return opened.Select(o => (IReadOnlyList<UnsealedValue>)o.Where(v => v.Problem is not null).ToList()).ToArray();
    }

    private static void ThrowOnFailures(SealedSecretManifest sealedSecret, IReadOnlyList<UnsealedValue> opened)
    {
        var failed = opened.Where(v => v.Problem is not null).ToList();
        if (failed.Count == 0)
            return;
        var first = failed[0];
        var more = failed.Count > 1 ? $" (and {failed.Count - 1} more key{(failed.Count > 2 ? "s" : "")}: {string.Join(", ", failed.Skip(1).Select(f => f.Key))})" : "";
        var hint = sealedSecret.TemplateScope is { } named && named != sealedSecret.Scope
            ? $"spec.template.metadata.annotations say {SealingScopes.Name(named)} scope, but the controller reads the scope from the SealedSecret's own metadata.annotations: put the scope annotation there too"
            : "use the controller key that sealed it (all keys of the backup), and keep the SealedSecret's namespace, name and scope annotations as sealed";
        throw new KeywardException($"\"{sealedSecret.File}\" line {first.Position.Line} column {first.Position.Column}: SealedSecret {sealedSecret.Namespace}/{sealedSecret.Name} key \"{first.Key}\": {first.Problem}{more}",
            hint, FailureKind.Failed);
    }
}
