using Keyward.Sops.Tree;

namespace Keyward.Sops.Metadata;

/// <summary>One age recipient of the data key (or of a Shamir share): the armored age file that wraps it.</summary>
public sealed record AgeKeyEntry(string Recipient, string Enc);

/// <summary>
/// A key group: every key in it wraps the same data key (or share). Keys Keyward cannot use (PGP, cloud KMS, Vault)
/// are kept as the tree they were read from, so they are written back intact while the data key does not change.
/// </summary>
public sealed class KeyGroup
{
    public List<AgeKeyEntry> Age { get; } = [];

    /// <summary>Other key types by their metadata name (<c>pgp</c>, <c>kms</c>...), each a sequence of entries.</summary>
    public List<KeyValuePair<string, SopsSequence>> Foreign { get; } = [];

    public int ForeignCount => Foreign.Sum(f => f.Value.Values.Count());

    public KeyGroup Clone()
    {
        var copy = new KeyGroup();
        copy.Age.AddRange(Age);
        copy.Foreign.AddRange(Foreign.Select(f => new KeyValuePair<string, SopsSequence>(f.Key, (SopsSequence)f.Value.Clone())));
        return copy;
    }
}

/// <summary>Which values are encrypted: at most one of sops's six rule options.</summary>
public sealed record CryptRule(string Option, string Value)
{
    public static readonly string[] Options =
        ["unencrypted_suffix", "encrypted_suffix", "unencrypted_regex", "encrypted_regex", "unencrypted_comment_regex", "encrypted_comment_regex"];

    /// <summary>What sops uses, and writes, when no rule is given.</summary>
    public static CryptRule Default { get; } = new("unencrypted_suffix", "_unencrypted");

    /// <summary>The rule Flux needs for Kubernetes Secrets: apiVersion, kind and metadata stay readable.</summary>
    public static CryptRule KubernetesSecret { get; } = new("encrypted_regex", "^(data|stringData)$");
}

/// <summary>The <c>sops</c> metadata of an encrypted file.</summary>
public sealed class SopsMetadata
{
    /// <summary>The version written into new files: a real sops release, because sops parses it as semver.</summary>
    public const string WriterVersion = "3.13.2";

    public List<KeyGroup> KeyGroups { get; } = [];

    /// <summary>Written as <c>key_groups</c> rather than flat key lists (always when there are several groups).</summary>
    public bool WriteKeyGroups { get; set; }

    public int? ShamirThreshold { get; set; }

    /// <summary><c>lastmodified</c> as it is in the file; the MAC's AAD is its RFC 3339 form.</summary>
    public string LastModified { get; set; } = "";

    public string? Mac { get; set; }

    public string Version { get; set; } = WriterVersion;

    public CryptRule? Rule { get; set; }

    public bool MacOnlyEncrypted { get; set; }

    /// <summary>Fields this version does not know, written back unchanged.</summary>
    public List<SopsEntry> Unknown { get; } = [];

    public CryptRule EffectiveRule => Rule ?? CryptRule.Default;

    public IEnumerable<AgeKeyEntry> AllAgeKeys => KeyGroups.SelectMany(g => g.Age);

    public SopsMetadata Clone()
    {
        var copy = new SopsMetadata
        {
            WriteKeyGroups = WriteKeyGroups,
            ShamirThreshold = ShamirThreshold,
            LastModified = LastModified,
            Mac = Mac,
            Version = Version,
            Rule = Rule,
            MacOnlyEncrypted = MacOnlyEncrypted,
        };
        copy.KeyGroups.AddRange(KeyGroups.Select(g => g.Clone()));
        copy.Unknown.AddRange(Unknown.Select(u => (SopsEntry)u.Clone()));
        return copy;
    }
}
