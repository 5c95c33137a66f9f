using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keyward.Core;
using Keyward.Manifests;
using YamlDotNet.RepresentationModel;

namespace Keyward.Sealing;

/// <summary>The outcome of opening one sealed value: the plaintext, or why it did not open.</summary>
public sealed record UnsealedValue(string Key, SourcePosition Position, byte[]? Plaintext, string? Problem);

/// <summary>
/// Opens SealedSecrets with the controller's private keys, as the controller does: the label comes from the
/// object's own namespace and name and its template's scope annotations, and every key is tried.
/// </summary>
public sealed class Unsealer(SealingKeyRing keys)
{
    private readonly SealingKeyRing keys = keys ?? throw new ArgumentNullException(nameof(keys));

    /// <summary>Opens every value; the caller wipes the plaintexts.</summary>
    public IReadOnlyList<UnsealedValue> Open(SealedSecretManifest sealedSecret)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        SealingScopes.RequireTarget(sealedSecret.Scope, sealedSecret.Namespace, sealedSecret.Name, sealedSecret.Where);
        var label = sealedSecret.Label;
        var results = new UnsealedValue[sealedSecret.EncryptedData.Count];
        // Each value costs one RSA private operation per key tried: spread them over the cores.
        Parallel.For(0, results.Length, i =>
        {
            var (key, value, position) = sealedSecret.EncryptedData[i];
            results[i] = OpenOne(key, value, position, label, sealedSecret);
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
    public JsonObject Unseal(SealedSecretManifest sealedSecret, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        var opened = Open(sealedSecret);
        try
        {
            ThrowOnFailures(sealedSecret, opened);
            var template = sealedSecret.Root.Child("spec")?.Child("template");
            var metadata = new JsonObject { ["name"] = sealedSecret.Name };
            if (sealedSecret.Namespace is not null)
                metadata["namespace"] = sealedSecret.Namespace;
            foreach (var field in new[] { "labels", "annotations" })
            {
                if (template?.Child("metadata")?.Child(field) is YamlMappingNode map)
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
            if (template?.Child("data") is YamlMappingNode templated && templated.Children.Count > 0)
                warnings?.Add($"{sealedSecret.Where}: spec.template.data holds Go templates the controller renders; keyward does not render them, so their keys ({string.Join(", ", templated.Children.Keys)}) are left out");
            return secret;
        }
        finally
        {
            foreach (var value in opened)
            {
                if (value.Plaintext is not null)
                    CryptographicOperations.ZeroMemory(value.Plaintext);
            }
        }
    }

    /// <summary>Checks that every value opens, without keeping any plaintext; returns the keys that do not.</summary>
    public IReadOnlyList<UnsealedValue> Verify(SealedSecretManifest sealedSecret)
    {
        var opened = Open(sealedSecret);
        foreach (var value in opened)
        {
            if (value.Plaintext is not null)
                CryptographicOperations.ZeroMemory(value.Plaintext);
        }
        return opened.Where(v => v.Problem is not null).ToList();
    }

    private static void ThrowOnFailures(SealedSecretManifest sealedSecret, IReadOnlyList<UnsealedValue> opened)
    {
        var failed = opened.Where(v => v.Problem is not null).ToList();
        if (failed.Count == 0)
            return;
        var first = failed[0];
        var more = failed.Count > 1 ? $" (and {failed.Count - 1} more key{(failed.Count > 2 ? "s" : "")}: {string.Join(", ", failed.Skip(1).Select(f => f.Key))})" : "";
        throw new KeywardException($"\"{sealedSecret.File}\" line {first.Position.Line} column {first.Position.Column}: SealedSecret {sealedSecret.Namespace}/{sealedSecret.Name} key \"{first.Key}\": {first.Problem}{more}",
            "use the controller key that sealed it (all keys of the backup), and keep the SealedSecret's namespace, name and scope annotations as sealed", FailureKind.Failed);
    }
}
