using System.Security.Cryptography;
using System.Text;
using Keyward.Age;
using Keyward.Core;
using Keyward.Manifests;
using Keyward.Sops.Config;
using Keyward.Sops.Crypto;
using Keyward.Sops.Engine;
using Keyward.Sops.Metadata;
using Keyward.Sops.Stores;

namespace Keyward.Ovh.Storage;

/// <summary>Who a Secret file is encrypted to, and which values: what rotation must keep when it writes the file again.</summary>
public sealed record SopsTarget(IReadOnlyList<IReadOnlyList<string>> AgeKeyGroups, CryptRule Rule, int? ShamirThreshold)
{
    public int RecipientCount => AgeKeyGroups.Sum(g => g.Count);
}

/// <summary>
/// Writes credential Secrets as SOPS YAML encrypted with the repository's age recipients (the creation rule of
/// <c>.sops.yaml</c> that matches the output path, or explicit recipients), and reads them back for rotation.
/// The creation rule decides which values are encrypted (Flux's <c>^(data|stringData)$</c> keeps annotations readable
/// for audits); <see cref="CredentialPlacement"/> puts the credential where the rule encrypts it, or refuses.
/// </summary>
public static class SopsSecretStore
{
    /// <summary>The recipients for <paramref name="outputPath"/>: <paramref name="explicitRecipients"/>, else the matching creation rule.</summary>
    public static SopsTarget Resolve(string outputPath, IReadOnlyList<string> explicitRecipients, string? configPath)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        ArgumentNullException.ThrowIfNull(explicitRecipients);
        if (explicitRecipients.Count > 0)
            return new SopsTarget([explicitRecipients], CryptRule.KubernetesSecret, null);
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath)) ?? ".";
        var config = configPath ?? SopsConfig.Find(directory)
            ?? throw new KeywardException($"no .sops.yaml above \"{directory}\" to say who \"{outputPath}\" is encrypted to",
                "add one with a creation rule holding the repository's age recipients, or pass --age age1...", FailureKind.Usage);
        var rule = SopsConfig.Load(config).Match(outputPath)
            ?? throw new KeywardException($"no creation rule of \"{config}\" matches \"{outputPath}\"", "add a path_regex that matches it, or pass --age age1...", FailureKind.Usage);
        if (rule.AgeKeyGroups.Count == 0 || rule.AgeKeyGroups.Any(g => g.Count == 0))
            throw new KeywardException($"the creation rule of \"{config}\" for \"{outputPath}\" has no age recipients",
                rule.ForeignKeyTypes.Count > 0 ? $"it uses {string.Join(", ", rule.ForeignKeyTypes)}, which keyward cannot encrypt to; add age keys" : "add age keys to the rule", FailureKind.Usage);
        return new SopsTarget(rule.AgeKeyGroups, rule.Rule ?? CryptRule.KubernetesSecret, rule.ShamirThreshold);
    }

    /// <summary>Encrypts a plaintext manifest for <paramref name="target"/>; returns the SOPS YAML bytes.</summary>
    public static byte[] Encrypt(string plaintextYaml, string source, SopsTarget target, TimeProvider time, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(plaintextYaml);
        ArgumentNullException.ThrowIfNull(target);
        var store = Stores.For(StoreKind.Yaml);
        var plain = Encoding.UTF8.GetBytes(plaintextYaml);
        try
        {
            var file = store.Read(plain, source, encrypted: false);
            SopsEngine.Encrypt(file, new EncryptionSettings
            {
                AgeKeyGroups = target.AgeKeyGroups,
                ShamirThreshold = target.ShamirThreshold,
                Rule = target.Rule,
                Time = time,
                Random = random,
            });
            return store.Write(file);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Why a file without SOPS metadata cannot be rotated. The Karpenter guide recommends Sealed Secrets for GitOps, and
    /// keyward seal keeps keyward's annotations, so a SealedSecret looks like a credential file: it is named as what it
    /// is, since calling it plaintext would send the user the wrong way.
    /// </summary>
    private static KeywardException NotSops(byte[] bytes, string source)
    {
        var loaded = ManifestLoader.Load(Encoding.UTF8.GetString(bytes), source);
        if (loaded.Documents.Any(d => d.Kind == "SealedSecret"))
            return new KeywardException($"\"{source}\" is a SealedSecret: rotate needs the SOPS-encrypted Secret keyward ovh secret wrote, which it can decrypt and write back",
                "keep the credential in SOPS (keyward ovh secret -o FILE.sops.yaml) and seal that at deploy time (keyward seal --cert CERT FILE.sops.yaml), so that rotate can renew it; "
                + "or request a new key with keyward ovh request and seal it again: keyward ovh secret --plaintext ... | keyward seal --cert CERT -o SEALED.yaml",
                FailureKind.Usage);
        return new KeywardException($"\"{source}\" is not SOPS-encrypted (no sops metadata)",
            "rotate works on the file keyward ovh secret wrote; a plaintext Secret has no business in the repository", FailureKind.Usage);
    }

    /// <summary>Decrypts a SOPS Secret file: the plaintext manifest and the recipients it was encrypted to.</summary>
    public static (string Plaintext, SopsTarget Target) Decrypt(byte[] encrypted, string source, IdentitySet identities)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        var store = Stores.For(StoreKind.Yaml);
        var file = store.Read(encrypted, source, encrypted: true);
        var meta = file.Metadata ?? throw NotSops(encrypted, source);
        var target = new SopsTarget(meta.KeyGroups.Select(g => (IReadOnlyList<string>)g.Age.Select(a => a.Recipient).ToList()).ToList(),
            meta.EffectiveRule, meta.ShamirThreshold);
        if (meta.KeyGroups.Any(g => g.ForeignCount > 0))
            throw new KeywardException($"\"{source}\" is also encrypted to non-age keys (PGP or a KMS)", "keyward can only write it back for age recipients; rotate it with sops", FailureKind.Failed);
        var key = SopsEngine.Decrypt(file, identities);
        CryptographicOperations.ZeroMemory(key);
        file.Metadata = null;
        var plain = store.Write(file);
        try
        {
            return (Encoding.UTF8.GetString(plain), target);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
