using System.Security.Cryptography;
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
        var dataKey = SopsEngine.Decrypt(file, identities);
        CryptographicOperations.ZeroMemory(dataKey);
        file.Metadata = null;
        return store.Write(file);
    }
}
