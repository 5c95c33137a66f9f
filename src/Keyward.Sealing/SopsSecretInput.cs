using System.Security.Cryptography;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Sops.Crypto;
using Keyward.Sops.Engine;
using Keyward.Sops.Stores;
using Keyward.Manifests.Yaml;

namespace Keyward.Sealing;

/// <summary>
/// SOPS-encrypted Secrets as sealing input: decrypted in memory with Keyward.Sops (MAC checked), never written to
/// disk, so a repository can move from SOPS to Sealed Secrets without a plaintext file.
/// </summary>
public static class SopsSecretInput
{
    /// <summary>True when a document carries SOPS metadata: a top-level <c>sops</c> map with a MAC or a timestamp.</summary>
    public static bool IsSopsEncrypted(IEnumerable<ManifestDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return documents.Any(d => d.Root.Child("sops") is YamlMap sops && (sops.Child("mac") is not null || sops.Child("lastmodified") is not null));
    }

    /// <summary>Decrypts a SOPS YAML or JSON file to its plaintext bytes, without the metadata. The caller wipes them.</summary>
    public static byte[] Decrypt(byte[] content, string source, IdentitySet identities)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(identities);
        var kind = content.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8) ? StoreKind.Json : StoreKind.Yaml;
        var store = Stores.For(kind);
        var file = store.Read(content, source, encrypted: true);
        // The engine's own MAC errors hint at --ignore-mac, which seal does not take: the MAC is judged here instead,
        // with a way round that seal's user can run. Values still authenticate one by one either way.
        var dataKey = SopsEngine.Decrypt(file, identities, new DecryptOptions { IgnoreMac = true }, out var report);
        CryptographicOperations.ZeroMemory(dataKey);
        if (!report.MacPresent)
            throw new KeywardException($"\"{source}\": the file has no MAC, so its integrity cannot be checked", BypassHint("if you trust the file"), FailureKind.Failed);
        if (report.MacMismatch)
            throw new KeywardException($"\"{source}\": MAC mismatch: the file was changed after it was encrypted (a value, the order of keys, or lastmodified)",
                BypassHint("restore it from version control; if an unencrypted field was edited on purpose"), FailureKind.Failed);
        file.Metadata = null;
        return store.Write(file);
    }

    /// <summary>seal has no --ignore-mac: decrypt's, through a pipe, keeps the plaintext off the disk as seal does.</summary>
    private static string BypassHint(string when) =>
        $"{when}, seal it through a pipe: keyward decrypt --ignore-mac FILE | keyward seal --cert CERT.pem";
}
