using System.Security.Cryptography;
using System.Text;
using Keyward.Age;
using Keyward.Core;
using Keyward.Sops.Crypto;
using Keyward.Sops.Metadata;
using Keyward.Sops.Stores;

namespace Keyward.Sops.Engine;

/// <summary>Options for decryption.</summary>
public sealed record DecryptOptions
{
    /// <summary>Skip the MAC check (sops's --ignore-mac). Values still authenticate one by one.</summary>
    public bool IgnoreMac { get; init; }

    /// <summary>Remember each value's ciphertext so that a later <see cref="SopsEngine.Reencrypt"/> keeps unchanged ones.</summary>
    public ValueStash? Stash { get; init; }
}

/// <summary>What decryption found besides the plaintext.</summary>
public sealed record DecryptReport(string ComputedMac, bool MacPresent, IReadOnlyList<string> Warnings)
{
    /// <summary>The MAC did not match and <see cref="DecryptOptions.IgnoreMac"/> let it pass (git-diff warns about it).</summary>
    public bool MacMismatch { get; init; }
}

/// <summary>How a new file is encrypted: key groups of age recipients, the crypt rule, the clock and randomness.</summary>
public sealed record EncryptionSettings
{
    public required IReadOnlyList<IReadOnlyList<string>> AgeKeyGroups { get; init; }

    public int? ShamirThreshold { get; init; }

    public CryptRule? Rule { get; init; }

    public bool MacOnlyEncrypted { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public RandomSource? Random { get; init; }
}

/// <summary>
/// Encrypts and decrypts whole files (trees plus metadata) the way sops does. Files are changed in place: decryption
/// replaces <c>ENC[...]</c> values by typed plaintext and drops nothing but the check; encryption does the reverse.
/// </summary>
public static class SopsEngine
{
    public static bool IsEncrypted(SopsFile file) => file.Metadata is not null;

    /// <summary>Unwraps the data key with the identities and decrypts the file. The caller zeroes the returned key.</summary>
    public static byte[] Decrypt(SopsFile file, IdentitySet identities, DecryptOptions? options = null) =>
        Decrypt(file, identities, options, out _);

    /// <summary>As above, with what decryption noticed (warnings to show the user).</summary>
    public static byte[] Decrypt(SopsFile file, IdentitySet identities, DecryptOptions? options, out DecryptReport report)
    {
        var meta = RequireMetadata(file);
        var key = DataKeys.Unwrap(meta, identities, file.Source);
        try
        {
            report = DecryptWithDataKey(file, key, options);
            return key;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(key);
            throw;
        }
    }

    /// <summary>Decrypts with a data key obtained elsewhere (PGP, a KMS, a test), checking the MAC unless told not to.</summary>
    public static DecryptReport DecryptWithDataKey(SopsFile file, ReadOnlySpan<byte> dataKey, DecryptOptions? options = null)
    {
        options ??= new DecryptOptions();
        var meta = RequireMetadata(file);
        using var cipher = new SopsValueCipher(dataKey);
        using var walker = new TreeCipher(cipher, meta, encrypting: false, file.Source, options.Stash);
        walker.Walk(file.Documents);
        var computed = walker.MacHex();
        if (string.IsNullOrEmpty(meta.Mac))
        {
            if (!options.IgnoreMac)
                throw new KeywardException($"\"{file.Source}\": the file has no MAC, so its integrity cannot be checked",
                    "pass --ignore-mac if you trust the file", FailureKind.Failed);
            return new DecryptReport(computed, false, walker.Warnings);
        }
        var aad = MetadataCodec.MacAad(meta.LastModified, file.Source);
        var stored = cipher.Decrypt(meta.Mac, aad, $"\"{file.Source}\" sops.mac");
        var expected = Encoding.ASCII.GetBytes(computed);
        bool ok = CryptographicOperations.FixedTimeEquals(stored.Plaintext, expected);
        if (!ok && !options.IgnoreMac)
            throw new KeywardException($"\"{file.Source}\": MAC mismatch: the file was changed after it was encrypted (a value, the order of keys, or lastmodified)",
                "restore it from version control; if an unencrypted field was edited on purpose, pass --ignore-mac and re-encrypt", FailureKind.Failed);
        return new DecryptReport(computed, true, walker.Warnings) { MacMismatch = !ok };
    }

    /// <summary>Encrypts a plaintext file: a new data key, wrapped for every age recipient of every group.</summary>
    public static void Encrypt(SopsFile file, EncryptionSettings settings)
    {
        if (file.Metadata is not null)
            throw new KeywardException($"\"{file.Source}\" is already encrypted (it has sops metadata)", "decrypt it first, or use keyward edit / set", FailureKind.Usage);
        if (settings.AgeKeyGroups.Count == 0 || settings.AgeKeyGroups.Any(g => g.Count == 0))
            throw new KeywardException($"no age recipients for \"{file.Source}\"", "pass --age age1..., or add a creation rule with age keys to .sops.yaml", FailureKind.Usage);
        DataKeys.RequireRecipients(settings.AgeKeyGroups, settings.AgeKeyGroups.Count > 1 ? settings.ShamirThreshold : null, file.Source);
        var meta = new SopsMetadata
        {
            ShamirThreshold = settings.AgeKeyGroups.Count > 1 ? settings.ShamirThreshold : null,
            Rule = settings.Rule ?? CryptRule.Default,
            MacOnlyEncrypted = settings.MacOnlyEncrypted,
            WriteKeyGroups = settings.AgeKeyGroups.Count > 1,
        };
        foreach (var _ in settings.AgeKeyGroups)
            meta.KeyGroups.Add(new KeyGroup());
        var key = DataKeys.Generate(settings.Random);
        try
        {
            DataKeys.Wrap(meta, key, settings.AgeKeyGroups, settings.Random);
            file.Metadata = meta;
            EncryptTrees(file, key, settings.Time, settings.Random, stash: null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Re-encrypts a plaintext tree under the file's existing data key and metadata (edit, set, unset): values found in
    /// <paramref name="stash"/> keep their exact ciphertext; MAC and lastmodified are renewed.
    /// </summary>
    public static void Reencrypt(SopsFile file, ReadOnlySpan<byte> dataKey, ValueStash? stash, TimeProvider time, RandomSource? random = null)
    {
        RequireMetadata(file);
        EncryptTrees(file, dataKey, time, random, stash);
    }

    /// <summary>A new data key for a decrypted file: every value re-encrypted, the key re-wrapped for the same age recipients.</summary>
    public static void Rotate(SopsFile decrypted, IReadOnlyList<IReadOnlyList<string>> ageKeyGroups, TimeProvider time, RandomSource? random = null)
    {
        var meta = RequireMetadata(decrypted);
        var foreign = meta.KeyGroups.SelectMany(g => g.Foreign).Select(f => f.Key).Distinct().ToList();
        if (foreign.Count > 0)
            throw new KeywardException($"\"{decrypted.Source}\" also has {string.Join(", ", foreign)} keys, which keyward cannot wrap a new data key for",
                "rotate it with sops, or remove those keys with keyward updatekeys first", FailureKind.Failed);
        // Before anything changes: a file whose new data key nobody can unwrap must never be written.
        DataKeys.RequireRecipients(ageKeyGroups, ageKeyGroups.Count > 1 ? meta.ShamirThreshold : null, decrypted.Source);
        meta.KeyGroups.Clear();
        foreach (var _ in ageKeyGroups)
            meta.KeyGroups.Add(new KeyGroup());
        meta.WriteKeyGroups = ageKeyGroups.Count > 1;
        if (ageKeyGroups.Count == 1)
            meta.ShamirThreshold = null;
        var key = DataKeys.Generate(random);
        try
        {
            DataKeys.Wrap(meta, key, ageKeyGroups, random);
            EncryptTrees(decrypted, key, time, random, stash: null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void EncryptTrees(SopsFile file, ReadOnlySpan<byte> key, TimeProvider time, RandomSource? random, ValueStash? stash)
    {
        var meta = file.Metadata!;
        using var cipher = new SopsValueCipher(key, random);
        using var walker = new TreeCipher(cipher, meta, encrypting: true, file.Source, stash);
        walker.Walk(file.Documents);
        var mac = walker.MacHex();
        var now = time.GetUtcNow();
        meta.LastModified = Values.GoFormat.FormatRfc3339(new DateTimeOffset(now.UtcDateTime.AddTicks(-(now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)), TimeSpan.Zero));
        meta.Mac = cipher.Encrypt(Encoding.ASCII.GetBytes(mac), "str", MetadataCodec.MacAad(meta.LastModified, file.Source));
        meta.Version = SopsMetadata.WriterVersion;
    }

    private static SopsMetadata RequireMetadata(SopsFile file) =>
        file.Metadata ?? throw new KeywardException($"\"{file.Source}\" is not encrypted with sops (no sops metadata found)",
            "encrypt it first with keyward encrypt", FailureKind.Usage);
}
