using System.Security.Cryptography;
using System.Text;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Manifests.Yaml;

namespace Keyward.Sealing;

/// <summary>One key of a Secret: its decoded bytes and where it was written, for errors.</summary>
public sealed record SecretEntry(string Key, byte[] Value, SourcePosition Position);

/// <summary>
/// A Kubernetes Secret read from a manifest for sealing: identity, type, labels and annotations, and the values of
/// <c>data</c> (base64-decoded) and <c>stringData</c> (which wins on the same key, as the API server does).
/// <see cref="Dispose"/> wipes the decoded values.
/// </summary>
public sealed class SecretManifest : IDisposable
{
    /// <summary>Annotation kubectl writes on apply; it holds the whole Secret in plain text, so it must never be sealed into a template.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>kubecfg's (and ksonnet's) copy of the same, which kubeseal strips with kubectl's (StripLastAppliedAnnotations).</summary>
    public const string KubecfgLastAppliedAnnotation = "kubecfg.ksonnet.io/last-applied-configuration";

    /// <summary>True for an annotation that holds a plaintext copy of the applied Secret.</summary>
    public static bool IsLastAppliedAnnotation(string key) => key is LastAppliedAnnotation or KubecfgLastAppliedAnnotation;

    public required string File { get; init; }
    public required SourcePosition Position { get; init; }
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? Type { get; init; }
    public bool? Immutable { get; init; }
    public List<KeyValuePair<string, string>> Labels { get; } = [];
    public List<KeyValuePair<string, string>> Annotations { get; } = [];
    public List<SecretEntry> Entries { get; } = [];

    /// <summary>Where this Secret is, for messages: <c>"s.yaml" line 3 column 1: Secret ns/name</c>.</summary>
    public string Where => $"\"{File}\" line {Position.Line} column {Position.Column}: Secret {(Namespace is null ? "" : Namespace + "/")}{Name ?? "(no name)"}";

    public static SecretManifest FromDocument(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.Root;
        var at = document.Start;
        if (document.Kind != "Secret" || (document.Reference.ApiVersion is { } api && api != "v1"))
            throw new KeywardException($"\"{document.File}\" line {at.Line} column {at.Column}: expected a v1 Secret, found {document.Reference.ApiVersion ?? "?"} {document.Kind ?? "(no kind)"}",
                "seal only Secret manifests (kubectl create secret generic NAME --dry-run=client -o yaml)", FailureKind.Usage);
        var metadata = root.Child("metadata") as YamlMap;
        var secret = new SecretManifest
        {
            File = document.File,
            Position = at,
            Name = metadata?.Child("name").NonNullText(),
            Namespace = metadata?.Child("namespace").NonNullText(),
            Type = root.Child("type").NonNullText(),
            Immutable = root.Child("immutable").NonNullText() is { } immutable ? ParseBool(immutable, document, "immutable") : null,
        };
        try
        {
            ReadStringMap(metadata?.Child("labels"), secret.Labels, secret, "metadata.labels");
            ReadStringMap(metadata?.Child("annotations"), secret.Annotations, secret, "metadata.annotations");
            ReadValues(root.Child("data"), secret, base64: true);
            ReadValues(root.Child("stringData"), secret, base64: false);
        }
        catch
        {
            secret.Dispose();
            throw;
        }
        return secret;
    }

    public void Dispose()
    {
        foreach (var entry in Entries)
            CryptographicOperations.ZeroMemory(entry.Value);
    }

    private static bool ParseBool(string text, ManifestDocument document, string field) => text switch
    {
        "true" => true,
        "false" => false,
        _ => throw new KeywardException($"\"{document.File}\" line {document.Start.Line}: Secret field {field} must be true or false", "write it unquoted: true or false", FailureKind.Usage),
    };

    private static void ReadStringMap(YamlValue? node, List<KeyValuePair<string, string>> into, SecretManifest secret, string field)
    {
        if (node is null || IsNull(node))
            return;
        if (node is not YamlMap map)
            throw Positioned(secret, node, $"{field} must be a map of strings", StringMapHint(field));
        foreach (var (key, value) in map.Entries())
        {
            if (key is not YamlScalar { Value: { } k } || value is not YamlScalar v)
                throw Positioned(secret, key, $"{field} must be a map of strings", StringMapHint(field));
            into.Add(new(k, IsNull(v) ? "" : v.Value));
        }
    }

    private static void ReadValues(YamlValue? node, SecretManifest secret, bool base64)
    {
        string field = base64 ? "data" : "stringData";
        if (node is null || IsNull(node))
            return;
        if (node is not YamlMap map)
            throw Positioned(secret, node, $"{field} must be a map of keys to {(base64 ? "base64 values" : "strings")}",
                base64
                    ? "write data as KEY: BASE64 lines under it, indented (or plain text under stringData); kubectl create secret generic NAME --from-literal=KEY=VALUE --dry-run=client -o yaml writes one"
                    : "write stringData as KEY: VALUE lines under it, indented; kubectl create secret generic NAME --from-literal=KEY=VALUE --dry-run=client -o yaml writes one");
        foreach (var (keyNode, valueNode) in map.Entries())
        {
            if (keyNode is not YamlScalar { Value: { Length: > 0 } key })
                throw Positioned(secret, keyNode, $"{field} has an empty or non-text key", KeyCharactersHint);
            if (!IsValidKey(key))
                throw Positioned(secret, keyNode, $"{field} key \"{key}\" is not a valid Secret key (letters, digits, '-', '_' and '.' only)",
                    "rename the key; for a file, kubectl create secret --from-file=KEY=PATH names it");
            if (valueNode is not YamlScalar scalar)
                throw Positioned(secret, valueNode, $"{field} key \"{key}\" must have a text value",
                    "write the value on the key's line, and quote it if it starts with [ or {; a value of several lines goes under KEY: |");
            // The API server decodes a JSON null map value to the empty value; YAML null in any spelling is that null.
            var text = IsNull(scalar) ? "" : scalar.Value;
            byte[] value;
            if (base64)
            {
                value = new byte[text.Length * 3 / 4 + 3];
                if (!Convert.TryFromBase64String(text, value, out int written))
                {
                    CryptographicOperations.ZeroMemory(value);
                    throw Positioned(secret, valueNode, $"data key \"{key}\" is not valid base64", "values under data are base64; put plain text under stringData");
                }
                var exact = value[..written];
                CryptographicOperations.ZeroMemory(value);
                value = exact;
            }
            else
            {
                value = Encoding.UTF8.GetBytes(text);
            }
            int existing = secret.Entries.FindIndex(e => e.Key == key);
            if (existing >= 0)
            {
                CryptographicOperations.ZeroMemory(secret.Entries[existing].Value);
                secret.Entries.RemoveAt(existing);
            }
            secret.Entries.Add(new SecretEntry(key, value, valueNode.Position()));
        }
    }

    /// <summary>Kubernetes Secret keys: <c>[-._a-zA-Z0-9]+</c>, at most 253 characters.</summary>
    public static bool IsValidKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length is > 0 and <= 253 && key is not ("." or "..") && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
    }

    private static bool IsNull(YamlValue node) => node is YamlScalar { IsNull: true };

    /// <summary>What to do about a key that is empty or not text (a list or a map used as a key).</summary>
    private const string KeyCharactersHint = "name every key with letters, digits, '-', '_' and '.' only, as KEY: VALUE";

    private static string StringMapHint(string field) =>
        $"write {field} as KEY: VALUE lines under it, indented, with text values (quote a value that starts with [ or {{)";

    /// <summary>Every refusal here is the user's to fix, so each says how: the hint is required.</summary>
    private static KeywardException Positioned(SecretManifest secret, YamlValue node, string message, string hint)
    {
        var at = node.Position();
        return new KeywardException($"\"{secret.File}\" line {at.Line} column {at.Column}: Secret {secret.Name ?? "(no name)"}: {message}", hint, FailureKind.Usage);
    }
}
